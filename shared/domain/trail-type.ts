/**
 * Every line the vault writes on a trail (an order's `EVT#` items, a seller's), declared once.
 * The webhook mapping (`webhook-event.ts`) is a `satisfies Record<TrailType, ...>` table, so a new
 * line does not compile until it is mapped to a webhook event or marked unpublished.
 */
export const trailTypes = [
  'order.placed',
  'order.expired',
  'order.cancelled',
  'payment.received',
  'payment.refund_due',
  'order.revealed',
  'order.redelivered',
  'order.released',
  'order.release_held',
  'order.refunded',
  'report.refunded',
  'report.rejected',
  'report.escalated',
  'report.decided',
  'report.default_applied',
  'report.settled',
  /** Written by reports decided before the deadline default had its own line; still published. */
  'report.refunded_unproven',
  'seller.penalised',
  'seller.suspended',
  'seller.reinstated',
  'seller.review_opened',
  'seller.review_closed',
  'seller.deposits_locked',
  'seller.deposits_unlocked',
  'card.deposit_settled',
  /** A PIN reveal link took its last wrong PIN (issue 20): it reveals nothing any more. */
  'link.locked',
] as const;
export type TrailType = (typeof trailTypes)[number];

/** The lines of a seller's own trail. */
export const sellerTrailTypes = [
  'seller.suspended',
  'seller.reinstated',
  'seller.review_opened',
  'seller.review_closed',
  'seller.deposits_locked',
  'seller.deposits_unlocked',
] as const satisfies readonly TrailType[];
export type SellerTrailType = (typeof sellerTrailTypes)[number];

/** Lines about a seller (the seller's own trail, and the penalties in the seller's partition). */
const sellerLines: ReadonlySet<string> = new Set<TrailType>([...sellerTrailTypes, 'seller.penalised']);

export function isSellerLine(type: string): boolean {
  return sellerLines.has(type);
}

export function isTrailType(value: string): value is TrailType {
  return (trailTypes as readonly string[]).includes(value);
}
