import { actors, type OrderEvent } from '../../domain/order-event.js';
import { trailLine } from '../../domain/trail-line.js';
import type { Page } from '../../ports/page.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

export const EventSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  actor: z.enum(actors),
  from: z.string().optional(),
  to: z.string().optional(),
  at: timestamp(),
  // Written by the vault's own transitions, never from a request; it never holds a code.
  data: z.record(z.string(), z.unknown()).optional(),
  prevHash: z
    .string()
    .optional()
    .openapi({ description: "The previous event's `hash`; absent on the trail's first event." }),
  hash: z.string().optional().openapi({
    description:
      'Lower-case hex SHA-256 of the RFC 8785 canonical JSON of this event as shown here, without `hash`. Absent on events written before the chain.',
  }),
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
  return trailLine(e);
}
