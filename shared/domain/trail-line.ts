import type { OrderEvent } from './order-event.js';

/**
 * An order event as the API shows it (`GET /v1/orders/{id}/events`, the evidence bundle's
 * `trail`), and so what its chain hash is taken over. The fields are named, never copied by
 * spreading the stored item: a field added to the item does not reach the API, nor the hash.
 */
export type TrailLine = Omit<OrderEvent, 'orderId'>;

export function trailLine(e: OrderEvent): TrailLine {
  return {
    eventId: e.eventId,
    type: e.type,
    actor: e.actor,
    ...(e.from !== undefined ? { from: e.from } : {}),
    ...(e.to !== undefined ? { to: e.to } : {}),
    at: e.at,
    ...(e.data !== undefined ? { data: e.data } : {}),
    ...(e.prevHash !== undefined ? { prevHash: e.prevHash } : {}),
    ...(e.hash !== undefined ? { hash: e.hash } : {}),
  };
}
