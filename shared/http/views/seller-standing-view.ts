import { type Penalty, penaltyReport, sellerStatuses } from '../../domain/seller-standing.js';
import type { SellerStandingView } from '../../services/standing-service.js';
import { MoneySchema, timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { moneyView } from './money-view.js';

const PenaltySchema = z.object({
  penaltyId: z.string(),
  orderId: z.string(),
  reportId: z.string().optional().openapi({
    description: "The buyer's report that proved the card dead; absent when foundBy is issuer_check",
  }),
  foundBy: z.enum(['report', 'issuer_check']).openapi({
    description:
      "report: a buyer's report; issuer_check: the vault's own check before a reveal or at the reveal deadline",
  }),
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
    deposits: z
      .object({
        locked: z.boolean(),
        lockedUntil: timestamp().optional().openapi({
          description: 'The end of a time lock: when the oldest counted rejection leaves the hour',
        }),
        operatorUnlockRequired: z.boolean().openapi({
          description: 'Locked 3 times in 7 days: locked until POST /v1/sellers/{sellerId}/unlock-deposits',
        }),
        rejectedLastHour: z.number().int(),
        budget: z
          .number()
          .int()
          .openapi({ description: 'DEPOSIT_REJECT_BUDGET: rejected codes allowed per rolling hour' }),
      })
      .openapi({
        description:
          "The seller's budget of rejected codes (`invalid_code`, `already_redeemed`), counted across the API and deposit links. Locked: deposits answer 429 `deposit-budget-exhausted` and no code is sent to the issuer.",
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
    deposits: {
      locked: s.deposits.locked,
      ...(s.deposits.lockedUntil !== undefined ? { lockedUntil: s.deposits.lockedUntil } : {}),
      operatorUnlockRequired: s.deposits.operatorUnlockRequired,
      rejectedLastHour: s.deposits.rejectedLastHour,
      budget: s.deposits.budget,
    },
  };
}

function penaltyView(p: Penalty): z.infer<typeof PenaltySchema> {
  return {
    penaltyId: p.penaltyId,
    orderId: p.orderId,
    ...penaltyReport(p.reportId),
    cardId: p.cardId,
    fine: moneyView(p.fine),
    at: p.at,
  };
}
