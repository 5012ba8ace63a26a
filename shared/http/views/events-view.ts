import { actors, type OrderEvent } from '../../domain/order-event.js';
import type { Page } from '../../ports/page.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

const EventSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  actor: z.enum(actors),
  from: z.string().optional(),
  to: z.string().optional(),
  at: timestamp(),
  // Written by the vault's own transitions, never from a request; it never holds a code.
  data: z.record(z.string(), z.unknown()).optional(),
});

export const EventsSchema = z
  .object({ orderId: z.string(), events: z.array(EventSchema), nextCursor: z.string().optional() })
  .openapi('OrderEvents');

export function eventsView(orderId: string, page: Page<OrderEvent>): z.infer<typeof EventsSchema> {
  return {
    orderId,
    events: page.items.map(eventView),
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
  };
}

function eventView(e: OrderEvent): z.infer<typeof EventSchema> {
  return {
    eventId: e.eventId,
    type: e.type,
    actor: e.actor,
    ...(e.from !== undefined ? { from: e.from } : {}),
    ...(e.to !== undefined ? { to: e.to } : {}),
    at: e.at,
    ...(e.data !== undefined ? { data: e.data } : {}),
  };
}
