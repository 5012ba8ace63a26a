import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BuyerCredit } from '../../domain/buyer-credit.js';
import type { Penalty, SellerBalances, SellerStanding } from '../../domain/seller-standing.js';
import type { PartyStore } from '../../ports/party-store.js';
import { keys, stripLayout } from './keys.js';
import { getItem, type TableContext } from './table-context.js';

/** Seller standing and buyer credit. Their counters are changed inside order transactions. */
export class DynamoPartyStore implements PartyStore {
  constructor(private readonly ctx: TableContext) {}

  async getSeller(tenantId: string, sellerId: string): Promise<SellerStanding | undefined> {
    const item = await getItem(this.ctx, keys.seller(tenantId, sellerId));
    if (!item) return undefined;
    const balance: SellerBalances = {};
    for (const [name, value] of Object.entries(item)) {
      const match = /^bal(Held|Avail)_([A-Z]{3})$/.exec(name);
      if (!match?.[2]) continue;
      const entry = balance[match[2]] ?? { held: 0, available: 0 };
      balance[match[2]] = entry;
      if (match[1] === 'Held') entry.held = Number(value);
      else entry.available = Number(value);
    }
    return {
      sellerId,
      status: item.status === 'suspended' ? 'suspended' : 'active',
      strikeTimes: (item.strikeTimes as string[] | undefined) ?? [],
      balance,
      ...(typeof item.suspendedAt === 'string' ? { suspendedAt: item.suspendedAt } : {}),
    };
  }

  async listPenalties(tenantId: string, sellerId: string): Promise<Penalty[]> {
    const { pk, skPrefix } = keys.penaltiesOf(tenantId, sellerId);
    const page = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    return (page.Items ?? []).map((i) => {
      const { sellerId: _seller, ...penalty } = stripLayout<Penalty & { sellerId: string }>(i);
      return penalty;
    });
  }

  async suspendSeller(tenantId: string, sellerId: string, at: string): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.seller(tenantId, sellerId),
          UpdateExpression:
            'SET #status = :suspended, suspendedAt = :at, sellerId = :sellerId, #entity = :entity',
          ConditionExpression: 'attribute_not_exists(#status) OR #status <> :suspended',
          ExpressionAttributeNames: { '#status': 'status', '#entity': 'entity' },
          ExpressionAttributeValues: {
            ':suspended': 'suspended',
            ':at': at,
            ':sellerId': sellerId,
            ':entity': 'Seller',
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getBuyer(tenantId: string, buyerId: string): Promise<BuyerCredit | undefined> {
    const item = await getItem(this.ctx, keys.buyer(tenantId, buyerId));
    if (!item) return undefined;
    return {
      buyerId,
      reportsTotal: Number(item.reportsTotal ?? 0),
      upheld: Number(item.upheld ?? 0),
      rejected: Number(item.rejected ?? 0),
      escalated: Number(item.escalated ?? 0),
      rejectionTimes: (item.rejectionTimes as string[] | undefined) ?? [],
    };
  }
}
