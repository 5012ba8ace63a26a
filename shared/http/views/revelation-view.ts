import type { Revelation } from '../../services/reveal-service.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

/** The one response that carries codes. */
export const RevelationSchema = z
  .object({
    orderId: z.string(),
    revealedAt: timestamp(),
    cards: z.array(z.object({ cardId: z.string(), code: z.string(), pin: z.string().optional() })),
  })
  .openapi('Revelation');

export function revelationView(r: Revelation): z.infer<typeof RevelationSchema> {
  return {
    orderId: r.orderId,
    revealedAt: r.revealedAt,
    cards: r.cards.map((c) => ({
      cardId: c.cardId,
      code: c.code,
      ...(c.pin !== undefined ? { pin: c.pin } : {}),
    })),
  };
}
