import { createHash } from 'node:crypto';
import type { OrderEvent } from '../../domain/order-event.js';
import { trailLine } from '../../domain/trail-line.js';
import { chainInput } from '../../evidence/trail-chain.js';
import { type Condition, equals, expression, notExists } from './expression.js';
import { keys } from './keys.js';
import type { TaggedItem } from './transact.js';

/**
 * Links new events onto an order's trail, in the order given: each gets `prevHash` (the head
 * before it) and `hash` (over the line as the API shows it, `trail-line.ts`). The caller writes
 * them in the same transaction as the order's new head, conditional on the head it read.
 */
export function linkEvents(
  head: string | undefined,
  events: readonly OrderEvent[],
): { events: OrderEvent[]; head: string | undefined } {
  let previous = head;
  const linked = events.map((e) => {
    const { hash: _stale, prevHash: _old, ...event } = e;
    const withPrev: OrderEvent = previous === undefined ? event : { ...event, prevHash: previous };
    const hash = createHash('sha256')
      .update(chainInput(trailLine(withPrev)))
      .digest('hex');
    previous = hash;
    return { ...withPrev, hash };
  });
  return { events: linked, head: previous };
}

/** The order's trail head must still be the one read: another writer's line makes this a conflict. */
export function headIs(head: string | undefined): Condition {
  return head === undefined ? notExists('trailHead') : equals('trailHead', head);
}

/**
 * Moves the head of an order's trail for events written without a change of the order (a
 * re-delivery, an escalation's note): only `trailHead` changes, so the order's version, and the
 * commands racing on it, are untouched.
 */
export function moveHeadItem(
  tableName: string,
  order: { tenantId: string; orderId: string },
  from: string | undefined,
  to: string,
): TaggedItem {
  return {
    tag: 'order',
    item: {
      Update: {
        TableName: tableName,
        Key: keys.order(order.tenantId, order.orderId),
        ...expression().set('trailHead', to).when(equals('entity', 'Order'), headIs(from)).buildUpdate(),
      },
    },
  };
}
