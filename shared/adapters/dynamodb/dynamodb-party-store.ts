import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BuyerCredit } from '../../domain/buyer-credit.js';
import type { Penalty, SellerBalances, SellerStanding } from '../../domain/seller-standing.js';
import type { PartyStore } from '../../ports/party-store.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import {
  balanceAttribute,
  balancesSchema,
  buyerSchema,
  penaltySchema,
  sellerSchema,
} from './party-item-schemas.js';
import { getItem, getParsed, type TableContext } from './table-context.js';

/** Seller standing and buyer credit. Their counters are changed inside order transactions. */
export class DynamoPartyStore implements PartyStore {
  constructor(private readonly ctx: TableContext) {}

  async getSeller(tenantId: string, sellerId: string): Promise<SellerStanding | undefined> {
    const key = keys.seller(tenantId, sellerId);
    const item = await getItem(this.ctx, key);
    if (!item) return undefined;
    const seller = parseItem('seller', sellerSchema, item, key);
    const stored = Object.fromEntries(Object.entries(item).filter(([name]) => balanceAttribute.test(name)));
    const balance: SellerBalances = {};
    for (const [name, value] of Object.entries(parseItem('seller', balancesSchema, stored, key))) {
      const [, side, currency = ''] = balanceAttribute.exec(name) ?? [];
      const entry = balance[currency] ?? { held: 0, available: 0 };
      balance[currency] = entry;
      if (side === 'Held') entry.held = value;
      else entry.available = value;
    }
    return {
      sellerId,
      status: seller.status ?? 'active',
      strikeTimes: seller.strikeTimes ?? [],
      balance,
      unprovenRefunds: seller.unprovenRefunds ?? 0,
      ...(seller.suspendedAt !== undefined ? { suspendedAt: seller.suspendedAt } : {}),
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
    return (page.Items ?? []).map((i) => parseItem('penalty', penaltySchema, i));
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
    const item = await getParsed(this.ctx, 'buyer', buyerSchema, keys.buyer(tenantId, buyerId));
    if (!item) return undefined;
    return {
      buyerId,
      reportsTotal: item.reportsTotal ?? 0,
      upheld: item.upheld ?? 0,
      rejected: item.rejected ?? 0,
      escalated: item.escalated ?? 0,
      unproven: item.unproven ?? 0,
      rejectionTimes: item.rejectionTimes ?? [],
      unprovenTimes: item.unprovenTimes ?? [],
    };
  }
}
