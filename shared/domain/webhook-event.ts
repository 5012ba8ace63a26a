import { previousSortableId } from './sortable-id.js';
import { isTrailType, type TrailType } from './trail-type.js';

/**
 * The webhook vocabulary (issue 9): what a marketplace can subscribe to. Declared once; endpoints
 * validate their `eventTypes` against it and the dispatcher maps trail lines onto it.
 */
export const webhookEventTypes = [
  'order.placed',
  'order.expired',
  'order.cancelled',
  'order.paid',
  'order.refund_due',
  'order.revealed',
  'order.confirmed',
  'order.released',
  'order.refunded',
  'report.decided',
  'report.escalated',
  'report.settled',
  'seller.penalised',
  'seller.suspended',
  'seller.reinstated',
  'seller.review_opened',
  'seller.review_closed',
  'seller.deposits_locked',
  'seller.deposits_unlocked',
  'card.deposit_settled',
  'link.locked',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * From the type of a trail line (`EVT#` item of an order or a seller) to the webhook event it
 * becomes, or `null`: not published, nothing changed for the marketplace. Every trail type is
 * here (`tsc` names a missing one).
 */
export const TRAIL_TO_WEBHOOK = {
  'order.placed': 'order.placed',
  'order.expired': 'order.expired',
  'order.cancelled': 'order.cancelled',
  'payment.received': 'order.paid',
  'payment.refund_due': 'order.refund_due',
  'order.revealed': 'order.revealed',
  'order.released': 'order.released',
  'order.refunded': 'order.refunded',
  'report.refunded': 'report.decided',
  'report.rejected': 'report.decided',
  'report.refunded_unproven': 'report.decided',
  'report.decided': 'report.decided',
  'report.default_applied': 'report.settled',
  'report.settled': 'report.settled',
  'report.escalated': 'report.escalated',
  'seller.penalised': 'seller.penalised',
  'seller.suspended': 'seller.suspended',
  'seller.reinstated': 'seller.reinstated',
  'seller.review_opened': 'seller.review_opened',
  'seller.review_closed': 'seller.review_closed',
  'seller.deposits_locked': 'seller.deposits_locked',
  'seller.deposits_unlocked': 'seller.deposits_unlocked',
  'card.deposit_settled': 'card.deposit_settled',
  'link.locked': 'link.locked',
  // Not published: the buyer saw the same code again, and a held release changes nothing yet.
  'order.redelivered': null,
  'order.release_held': null,
} as const satisfies Record<TrailType, WebhookEventType | null>;
// `order.confirmed` has no line of its own: it is a buyer's `order.released` (webhookEventsOf).

/** A line read off the stream is any string: an unknown or unpublished one becomes no event. */
export function webhookEventTypeOf(trailType: string): WebhookEventType | undefined {
  return isTrailType(trailType) ? (TRAIL_TO_WEBHOOK[trailType] ?? undefined) : undefined;
}

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}

/** What a receiver gets (Stripe's shape). `id` is the trail line's id: de-duplicate on it. */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  /** Unix seconds of the trail line. */
  readonly created: number;
  readonly tenant: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Does an endpoint subscribed to `subscribed` (`'*'` for all) want an event of `type`? */
export function wants(subscribed: readonly string[], type: WebhookEventType): boolean {
  return subscribed.includes('*') || subscribed.includes(type);
}

/** A trail line as the dispatcher reads it from the stream: an order's or a seller's `EVT#` item. */
export interface TrailLine {
  readonly eventId: string;
  readonly type: string;
  readonly at: string;
  /** Who made the change (`buyer`, `sweeper`, ...): a buyer's release is a confirmation. */
  readonly actor?: string;
  readonly orderId?: string;
  readonly sellerId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * The webhook event a trail line becomes, or undefined if it is not published. `data` names the
 * fields it publishes (no spread of the stored item): the trail never holds a code, and nothing
 * else of the item (keys, entity) goes out.
 */
export function webhookEventOf(tenant: string, line: TrailLine): WebhookEvent | undefined {
  const type = webhookEventTypeOf(line.type);
  if (type === undefined) return undefined;
  return {
    id: line.eventId,
    type,
    created: Math.floor(Date.parse(line.at) / 1000),
    tenant,
    data: {
      ...(line.orderId !== undefined ? { orderId: line.orderId } : {}),
      ...(line.sellerId !== undefined ? { sellerId: line.sellerId } : {}),
      ...(line.from !== undefined ? { from: line.from } : {}),
      ...(line.to !== undefined ? { to: line.to } : {}),
      at: line.at,
      ...(line.data !== undefined ? { details: line.data } : {}),
    },
  };
}

/**
 * Every webhook event a trail line becomes, in order. A buyer's confirm is one trail line (the
 * release it makes, actor `buyer`) and two events: `order.confirmed`, then `order.released`, so a
 * receiver that pays out on `order.released` misses no confirmed order. The release keeps the
 * line's id; the confirmation takes the id just before it (derived, so a stream batch read again
 * gives the same ids and writes nothing twice).
 */
export function webhookEventsOf(tenant: string, line: TrailLine): WebhookEvent[] {
  const event = webhookEventOf(tenant, line);
  if (!event) return [];
  if (event.type !== 'order.released' || line.actor !== 'buyer') return [event];
  return [{ ...event, id: previousSortableId(event.id), type: 'order.confirmed' }, event];
}
