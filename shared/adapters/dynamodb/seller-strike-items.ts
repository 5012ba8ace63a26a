import type { StrikeGuard } from '../../domain/order-transition.js';
import type { SellerEvent } from '../../domain/seller-standing.js';
import { keys } from './keys.js';
import { putNew } from './table-context.js';
import type { TaggedItem } from './transact.js';

/** Parts of one seller update expression: SET clauses, condition, names and values. */
export interface ExpressionParts {
  readonly sets: string[];
  readonly conditions: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/**
 * The strike guard on the seller's update: the seller must be as read (status and number of
 * strikes), and the strike that reaches the limit writes the suspension, with the cascade left
 * pending on the due index until the suspension service (or the sweeper) has closed every open
 * order. Replaces the `#status` default the update otherwise sets.
 */
export function strikeGuardParts(tenantId: string, guard: StrikeGuard, parts: ExpressionParts): void {
  const { sets, conditions, names, values } = parts;
  names['#status'] = 'status';
  if (guard.strikeCount === 0) conditions.push('attribute_not_exists(strikeTimes)');
  else {
    conditions.push('size(strikeTimes) = :seenStrikes');
    values[':seenStrikes'] = guard.strikeCount;
  }
  // A seller never seen before reads as active.
  conditions.push(
    guard.status === 'active'
      ? 'attribute_not_exists(#status) OR #status = :seenStatus'
      : '#status = :seenStatus',
  );
  values[':seenStatus'] = guard.status;
  const { suspension } = guard;
  if (!suspension) return;
  const statusDefault = sets.findIndex((s) => s.startsWith('#status = '));
  if (statusDefault >= 0) sets.splice(statusDefault, 1);
  const cascade = keys.pendingCascade(tenantId, guard.sellerId, suspension.at);
  sets.push(
    '#status = :suspended',
    'suspendedAt = :suspendedAt',
    'tenantId = :tenantId',
    'cascadePending = :pending',
    'gsi1pk = :cascadePk',
    'gsi1sk = :cascadeSk',
  );
  Object.assign(values, {
    ':suspended': 'suspended',
    ':suspendedAt': suspension.at,
    ':tenantId': tenantId,
    ':pending': true,
    ':cascadePk': cascade.gsi1pk,
    ':cascadeSk': cascade.gsi1sk,
  });
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
