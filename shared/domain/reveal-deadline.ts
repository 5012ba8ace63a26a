import type { Order } from './order.js';

/** When a paid order not revealed by then is re-checked by the sweeper (REVEAL_DEADLINE_SECONDS). */
export function revealDeadlineOf(paidAt: string, revealDeadlineSeconds: number): string {
  return new Date(Date.parse(paidAt) + revealDeadlineSeconds * 1000).toISOString();
}

/**
 * A paid order whose buyer never revealed must still end: from its reveal deadline on (that
 * instant included) the sweeper re-checks the code and releases or refunds it.
 */
export function isRevealOverdue(
  order: Pick<Order, 'state' | 'paidAt' | 'revealedAt'>,
  now: Date,
  revealDeadlineSeconds: number,
): boolean {
  if (order.state !== 'paid' || order.revealedAt !== undefined || order.paidAt === undefined) return false;
  return Date.parse(revealDeadlineOf(order.paidAt, revealDeadlineSeconds)) <= now.getTime();
}
