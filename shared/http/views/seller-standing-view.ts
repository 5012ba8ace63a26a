import { type Penalty, sellerStatuses } from '../../domain/seller-standing.js';
import type { SellerStandingView } from '../../services/standing-service.js';
import { MoneySchema, timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { moneyView } from './money-view.js';

const PenaltySchema = z.object({
  penaltyId: z.string(),
  orderId: z.string(),
  reportId: z.string(),
  cardId: z.string(),
  fine: MoneySchema,
  at: timestamp(),
});

const BalanceSchema = z.object({ held: z.number().int(), available: z.number().int() });

/** Strike times stay inside: the marketplace sees counts. */
export const SellerStandingSchema = z
  .object({
    sellerId: z.string(),
    status: z.enum(sellerStatuses),
    strikes: z.number().int(),
    strikesTotal: z.number().int(),
    suspendedAt: timestamp().optional(),
    reinstatedAt: z
      .string()
      .optional()
      .openapi({ description: 'The last reinstatement: only strikes after it count toward suspension' }),
    payoutsHeld: z.boolean(),
    unprovenRefunds: z
      .number()
      .int()
      .openapi({ description: 'escalations refunded by the deadline default, without a strike' }),
    balance: z.record(z.string(), BalanceSchema),
    penalties: z.array(PenaltySchema),
    review: z
      .object({
        status: z.enum(['under_review']),
        since: timestamp(),
        buyers: z.number().int().openapi({ description: 'distinct buyers whose reports opened it' }),
      })
      .optional()
      .openapi({
        description:
          'Open while the dispute desk decides (POST /v1/sellers/{sellerId}/review): the cards of several buyers died after the reveal. No release is paid at the end of a dispute window meanwhile.',
      }),
  })
  .openapi('SellerStanding');

export function sellerView(s: SellerStandingView): z.infer<typeof SellerStandingSchema> {
  return {
    sellerId: s.sellerId,
    status: s.status,
    strikes: s.strikes,
    strikesTotal: s.strikesTotal,
    ...(s.suspendedAt !== undefined ? { suspendedAt: s.suspendedAt } : {}),
    ...(s.reinstatedAt !== undefined ? { reinstatedAt: s.reinstatedAt } : {}),
    payoutsHeld: s.payoutsHeld,
    unprovenRefunds: s.unprovenRefunds,
    balance: Object.fromEntries(
      Object.entries(s.balance).map(([currency, b]) => [currency, { held: b.held, available: b.available }]),
    ),
    penalties: s.penalties.map(penaltyView),
    ...(s.review
      ? { review: { status: s.review.status, since: s.review.since, buyers: s.review.buyers } }
      : {}),
  };
}

function penaltyView(p: Penalty): z.infer<typeof PenaltySchema> {
  return {
    penaltyId: p.penaltyId,
    orderId: p.orderId,
    reportId: p.reportId,
    cardId: p.cardId,
    fine: moneyView(p.fine),
    at: p.at,
  };
}
