import { type SellerEvent, sellerStatuses } from '../../domain/seller-standing.js';
import type { ReviewWorkKind, SellerSuspicionChange } from '../../ports/report-store.js';
import { anyOf, expression, notExists, sizeEquals } from './expression.js';
import { keys } from './keys.js';
import { sellerEventItem } from './seller-strike-items.js';
import type { TaggedItem } from './transact.js';
import { words } from './vocabulary.js';

const SELLER = words(sellerStatuses);

/**
 * A used-after-reveal report counted against the seller: the marks rewritten (those that still
 * count, and the new one) while the seller still has as many as read, so two buyers' reports at
 * once cannot both count from the same reading and miss the threshold. The report that reaches
 * it opens the review in the same transaction, with its event and the work it leaves.
 */
export function suspicionItems(
  tableName: string,
  tenantId: string,
  change: SellerSuspicionChange,
): TaggedItem[] {
  const update = expression()
    .set('usedAfterReveal', change.marks)
    .set('sellerId', change.sellerId)
    .set('entity', 'Seller')
    .setIfMissing('status', SELLER.active)
    .when(
      change.seen === 0
        ? anyOf(notExists('usedAfterReveal'), sizeEquals('usedAfterReveal', 0))
        : sizeEquals('usedAfterReveal', change.seen),
    );
  const { opens } = change;
  if (opens) {
    update
      .set('reviewSince', opens.review.since)
      .set('reviewBuyers', opens.review.buyers)
      .when(notExists('reviewSince'));
  }
  return [
    {
      tag: `seller:${change.sellerId}`,
      item: {
        Update: {
          TableName: tableName,
          Key: keys.seller(tenantId, change.sellerId),
          ...update.buildUpdate(),
        },
      },
    },
    ...(opens
      ? [
          sellerEventItem(tableName, tenantId, opens.event),
          reviewWorkItem(tableName, tenantId, change.sellerId, 'reopen', opens.event.at),
        ]
      : []),
  ];
}

/** What the review left to do, found by the sweeper on the due index until it is finished. */
export function reviewWorkItem(
  tableName: string,
  tenantId: string,
  sellerId: string,
  kind: ReviewWorkKind,
  at: string,
): TaggedItem {
  return {
    tag: `reviewWork:${sellerId}`,
    item: {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.reviewWork(tenantId, sellerId),
          ...keys.reviewWorkDue(tenantId, sellerId, at),
          entity: 'SellerReviewWork',
          tenantId,
          sellerId,
          kind,
          at,
          pending: true,
        },
      },
    },
  };
}

export function sellerEventItems(
  tableName: string,
  tenantId: string,
  events: readonly SellerEvent[],
): TaggedItem[] {
  return events.map((e) => sellerEventItem(tableName, tenantId, e));
}
