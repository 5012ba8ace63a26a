import type { SellerEvent } from '../../domain/seller-standing.js';
import type { ReviewWorkKind, SellerSuspicionChange } from '../../ports/report-store.js';
import { keys } from './keys.js';
import { sellerEventItem } from './seller-strike-items.js';
import type { TaggedItem } from './transact.js';

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
  const names: Record<string, string> = { '#status': 'status', '#entity': 'entity' };
  const values: Record<string, unknown> = {
    ':marks': change.marks,
    ':sellerId': change.sellerId,
    ':entity': 'Seller',
    ':active': 'active',
  };
  const sets = [
    'usedAfterReveal = :marks',
    'sellerId = :sellerId',
    '#entity = :entity',
    '#status = if_not_exists(#status, :active)',
  ];
  const conditions = [
    change.seen === 0
      ? '(attribute_not_exists(usedAfterReveal) OR size(usedAfterReveal) = :zero)'
      : 'size(usedAfterReveal) = :seen',
  ];
  if (change.seen === 0) values[':zero'] = 0;
  else values[':seen'] = change.seen;
  const { opens } = change;
  if (opens) {
    sets.push('reviewSince = :since', 'reviewBuyers = :buyers');
    values[':since'] = opens.review.since;
    values[':buyers'] = opens.review.buyers;
    conditions.push('attribute_not_exists(reviewSince)');
  }
  return [
    {
      tag: `seller:${change.sellerId}`,
      item: {
        Update: {
          TableName: tableName,
          Key: keys.seller(tenantId, change.sellerId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
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
