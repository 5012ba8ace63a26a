import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { BuyerCredit } from '../../domain/buyer-credit.js';
import {
  type Penalty,
  type SellerBalances,
  type SellerEvent,
  type SellerStanding,
  sellerStatuses,
} from '../../domain/seller-standing.js';
import type { Page, PageRequest } from '../../ports/page.js';
import type { PartyStore, ReviewWork } from '../../ports/party-store.js';
import { anyOf, equals, exists, expression, notEquals, notExists } from './expression.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import {
  balanceAttribute,
  balancesSchema,
  buyerSchema,
  penaltySchema,
  pendingCascadeSchema,
  reviewWorkSchema,
  sellerEventSchema,
  sellerSchema,
} from './party-item-schemas.js';
import { reviewWorkItem, sellerEventItems } from './seller-review-items.js';
import { sellerEventItem } from './seller-strike-items.js';
import { getItem, getParsed, queryPage, queryPrefix, type TableContext } from './table-context.js';
import { DUE_INDEX } from './table-definition.js';
import { transactWrite } from './transact.js';
import { words } from './vocabulary.js';

const SELLER = words(sellerStatuses);

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
      ...(seller.cascadePending ? { cascadePending: true } : {}),
      ...(seller.reinstatedAt !== undefined ? { reinstatedAt: seller.reinstatedAt } : {}),
      usedAfterReveal: seller.usedAfterReveal ?? [],
      ...(seller.reviewSince !== undefined
        ? {
            review: {
              status: 'under_review' as const,
              since: seller.reviewSince,
              buyers: seller.reviewBuyers ?? 0,
            },
          }
        : {}),
      ...(seller.suspicionResetAt !== undefined ? { suspicionResetAt: seller.suspicionResetAt } : {}),
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
    const cascade = keys.pendingCascade(tenantId, sellerId, at);
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.seller(tenantId, sellerId),
          ...expression()
            .set('status', SELLER.suspended)
            .set('suspendedAt', at)
            .set('sellerId', sellerId)
            .set('tenantId', tenantId)
            .set('entity', 'Seller')
            .set('cascadePending', true)
            .set('gsi1pk', cascade.gsi1pk)
            .set('gsi1sk', cascade.gsi1sk)
            .when(anyOf(notExists('status'), notEquals('status', SELLER.suspended)))
            .buildUpdate(),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listPendingCascades(limit: number) {
    const page = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.pendingCascades() },
        ProjectionExpression: 'tenantId, sellerId, suspendedAt',
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) =>
      parseItem('pending cascade', pendingCascadeSchema, i, `${DUE_INDEX} ${keys.pendingCascades()}`),
    );
  }

  async finishCascade(tenantId: string, sellerId: string, suspendedAt: string): Promise<boolean> {
    return this.conditionalUpdate({
      TableName: this.ctx.tableName,
      Key: keys.seller(tenantId, sellerId),
      ...expression()
        .remove('cascadePending', 'gsi1pk', 'gsi1sk')
        // A seller reinstated and suspended again meanwhile has a new cascade of its own.
        .when(equals('status', SELLER.suspended), equals('suspendedAt', suspendedAt))
        .buildUpdate(),
    });
  }

  async reinstateSeller(tenantId: string, event: SellerEvent): Promise<boolean> {
    const { tableName } = this.ctx;
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'seller',
        item: {
          Update: {
            TableName: tableName,
            Key: keys.seller(tenantId, event.sellerId),
            ...expression()
              .set('status', SELLER.active)
              .set('reinstatedAt', event.at)
              .remove('suspendedAt', 'cascadePending', 'gsi1pk', 'gsi1sk')
              .when(equals('status', SELLER.suspended))
              .buildUpdate(),
          },
        },
      },
      sellerEventItem(tableName, tenantId, event),
    ]);
    return outcome.ok;
  }

  async closeReview(input: Parameters<PartyStore['closeReview']>[0]): Promise<boolean> {
    const { tableName } = this.ctx;
    const { tenantId, sellerId, since, outcome, at } = input;
    const update = expression().remove('reviewSince', 'reviewBuyers').when(equals('reviewSince', since));
    if (outcome === 'suspended') {
      const cascade = keys.pendingCascade(tenantId, sellerId, at);
      update
        .set('status', SELLER.suspended)
        .setIfMissing('suspendedAt', at)
        .set('tenantId', tenantId)
        .set('cascadePending', true)
        .set('gsi1pk', cascade.gsi1pk)
        .set('gsi1sk', cascade.gsi1sk);
    } else {
      update.set('suspicionResetAt', at);
    }
    const outcomeOf = await transactWrite(this.ctx.doc, [
      {
        tag: 'seller',
        item: {
          Update: {
            TableName: tableName,
            Key: keys.seller(tenantId, sellerId),
            ...update.buildUpdate(),
          },
        },
      },
      ...sellerEventItems(tableName, tenantId, input.events),
      reviewWorkItem(tableName, tenantId, sellerId, outcome, at),
    ]);
    return outcomeOf.ok;
  }

  async getReviewWork(tenantId: string, sellerId: string): Promise<ReviewWork | undefined> {
    const work = await getParsed(
      this.ctx,
      'review work',
      reviewWorkSchema,
      keys.reviewWork(tenantId, sellerId),
    );
    return work && { tenantId: work.tenantId, sellerId: work.sellerId, kind: work.kind, at: work.at };
  }

  async listReviewWork(limit: number): Promise<ReviewWork[]> {
    const page = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reviewWorkPending() },
        ProjectionExpression: 'tenantId, sellerId, kind, #at',
        ExpressionAttributeNames: { '#at': 'at' },
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((i) =>
      parseItem('review work', reviewWorkSchema, i, `${DUE_INDEX} ${keys.reviewWorkPending()}`),
    );
  }

  async finishReviewWork(tenantId: string, sellerId: string, at: string): Promise<boolean> {
    // Done work stays as a record, off the due index: no function needs to delete seller items.
    return this.conditionalUpdate({
      TableName: this.ctx.tableName,
      Key: keys.reviewWork(tenantId, sellerId),
      ...expression()
        .remove('pending', 'gsi1pk', 'gsi1sk')
        .when(equals('at', at), exists('pending'))
        .buildUpdate(),
    });
  }

  async listSellerEvents(tenantId: string, sellerId: string): Promise<SellerEvent[]> {
    const { pk, skPrefix } = keys.sellerEventsOf(tenantId, sellerId);
    return (await queryPrefix(this.ctx, pk, skPrefix)).map((i) =>
      parseItem('seller event', sellerEventSchema, i),
    );
  }

  async pageSellerEvents(tenantId: string, sellerId: string, page: PageRequest): Promise<Page<SellerEvent>> {
    const { pk, skPrefix } = keys.sellerEventsOf(tenantId, sellerId);
    const rows = await queryPage(this.ctx, pk, skPrefix, page);
    return { ...rows, items: rows.items.map((i) => parseItem('seller event', sellerEventSchema, i)) };
  }

  private async conditionalUpdate(input: UpdateCommandInput): Promise<boolean> {
    try {
      await this.ctx.doc.send(new UpdateCommand(input));
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
      rejectionTimes: withoutWithdrawn(item.rejectionTimes ?? [], item.withdrawnRejectionTimes ?? []),
      unprovenTimes: item.unprovenTimes ?? [],
    };
  }
}

/** Rejections withdrawn by a seller review (a reopened report) no longer count against the buyer. */
function withoutWithdrawn(times: readonly string[], withdrawn: readonly string[]): string[] {
  const left = [...withdrawn];
  return times.filter((t) => {
    const i = left.indexOf(t);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
