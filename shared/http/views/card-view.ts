import { type Card, cardStates } from '../../domain/card.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

/** Never the ciphertext, the fingerprint or the issuer's answer: only what the seller may see. */
export const CardSchema = z
  .object({
    cardId: z.string(),
    listingId: z.string(),
    state: z.enum(cardStates),
    last4: z.string(),
    updatedAt: timestamp(),
  })
  .openapi('Card');

export function cardView(card: Card): z.infer<typeof CardSchema> {
  return {
    cardId: card.cardId,
    listingId: card.listingId,
    state: card.state,
    last4: card.last4,
    updatedAt: card.updatedAt,
  };
}
