import type { StrikeGuard } from '../../domain/order-transition.js';
import { type SellerEvent, type SellerStatus, sellerStatuses } from '../../domain/seller-standing.js';
import {
  anyOf,
  type Condition,
  type ExpressionBuilder,
  equals,
  notExists,
  sizeEquals,
} from './expression.js';
import { keys } from './keys.js';
import { putNew } from './table-context.js';
import type { TaggedItem } from './transact.js';
import { words } from './vocabulary.js';

const SELLER = words(sellerStatuses);

/** The seller's status as a condition; a seller never seen before (no item yet) reads as active. */
export function sellerIs(status: SellerStatus): Condition {
  return status === SELLER.active
    ? anyOf(notExists('status'), equals('status', SELLER.active))
    : equals('status', status);
}

/**
 * The strike guard on the seller's update: the seller must be as read (status and number of
 * strikes), and the strike that reaches the limit writes the suspension, with the cascade left
 * pending on the due index until the suspension service (or the sweeper) has closed every open
 * order. Its `status` replaces the default the update otherwise sets.
 */
export function withStrikeGuard(update: ExpressionBuilder, tenantId: string, guard: StrikeGuard): void {
  update.when(
    guard.strikeCount === 0 ? notExists('strikeTimes') : sizeEquals('strikeTimes', guard.strikeCount),
    sellerIs(guard.status),
  );
  const { suspension } = guard;
  if (!suspension) return;
  const cascade = keys.pendingCascade(tenantId, guard.sellerId, suspension.at);
  update
    .set('status', SELLER.suspended)
    .set('suspendedAt', suspension.at)
    .set('tenantId', tenantId)
    .set('cascadePending', true)
    .set('gsi1pk', cascade.gsi1pk)
    .set('gsi1sk', cascade.gsi1sk);
}

/** One line of a seller's own trail, written once. */
export function sellerEventItem(tableName: string, tenantId: string, event: SellerEvent): TaggedItem {
  return {
    tag: `sellerEvent:${event.eventId}`,
    item: putNew(tableName, {
      ...keys.sellerEvent(tenantId, event.sellerId, event.eventId),
      entity: 'SellerEvent',
      ...event,
    }),
  };
}
