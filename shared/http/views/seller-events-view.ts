import { type SellerEvent, sellerEventTypes } from '../../domain/seller-standing.js';
import type { Page } from '../../ports/page.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

const SellerEventSchema = z.object({
  eventId: z.string(),
  type: z.enum(sellerEventTypes),
  by: z.string().openapi({ description: '`vault` for a suspension; the operator for a reinstatement' }),
  at: timestamp(),
  // Written by the vault (strike counts, the order that struck) or an operator's note; never a code.
  data: z.record(z.string(), z.unknown()).optional(),
});

export const SellerEventsSchema = z
  .object({ sellerId: z.string(), events: z.array(SellerEventSchema), nextCursor: z.string().optional() })
  .openapi('SellerEvents');

export function sellerEventsView(
  sellerId: string,
  page: Page<SellerEvent>,
): z.infer<typeof SellerEventsSchema> {
  return {
    sellerId,
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    events: page.items.map((e) => ({
      eventId: e.eventId,
      type: e.type,
      by: e.by,
      at: e.at,
      ...(e.data !== undefined ? { data: e.data } : {}),
    })),
  };
}
