import { z } from '@hono/zod-openapi';
import type { BuyerCredit } from '../domain/buyer-credit.js';
import { type Card, cardStates } from '../domain/card.js';
import type { Listing } from '../domain/listing.js';
import { type Order, orderStates } from '../domain/order.js';
import type { OrderEvent } from '../domain/order-event.js';
import { buyerMessage, sellerMessage } from '../domain/order-messages.js';
import type { Report } from '../domain/report.js';
import type { DepositResult } from '../services/deposit-service.js';
import type { Revelation } from '../services/reveal-service.js';
import type { BuyerCreditView, SellerStandingView } from '../services/standing-service.js';
import { MoneySchema } from './schemas.js';

/**
 * Response schemas (they document /openapi.json) and the functions that render domain
 * objects into them. Each view's type is its schema's, so the two cannot drift apart.
 * No view has a field that could carry a code, except the reveal.
 */
export const ListingSchema = z
  .object({
    listingId: z.string(),
    sellerId: z.string(),
    brand: z.string(),
    faceValue: MoneySchema,
    price: MoneySchema,
    title: z.string().optional(),
    createdAt: z.string(),
    stock: z.record(z.enum(cardStates), z.number().int()).optional(),
  })
  .openapi('Listing');

export function listingView(listing: Listing, stock?: Record<string, number>): z.infer<typeof ListingSchema> {
  const { tenantId: _tenant, ...rest } = listing;
  return { ...rest, ...(stock ? { stock } : {}) };
}

export const DepositResultsSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        outcome: z.enum(['accepted', 'rejected', 'pending']),
        cardId: z.string().optional(),
        last4: z.string(),
        reason: z
          .enum([
            'already_redeemed',
            'invalid_code',
            'duplicate',
            'format',
            'value_mismatch',
            'issuer_unavailable',
          ])
          .optional(),
      }),
    ),
  })
  .openapi('DepositResults');

export function depositView(results: DepositResult[]): z.infer<typeof DepositResultsSchema> {
  return { results };
}

export const CardSchema = z
  .object({
    cardId: z.string(),
    listingId: z.string(),
    state: z.enum(cardStates),
    last4: z.string(),
    updatedAt: z.string(),
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

const RefundDueSchema = z.object({
  paymentRef: z.string(),
  amount: MoneySchema,
  reason: z.enum(['order_expired', 'order_cancelled', 'duplicate_payment', 'order_not_payable']),
  recordedAt: z.string(),
});

export const OrderSchema = z
  .object({
    orderId: z.string(),
    listingId: z.string(),
    sellerId: z.string(),
    buyerId: z.string(),
    state: z.enum(orderStates),
    quantity: z.number().int(),
    amount: MoneySchema,
    refunded: MoneySchema,
    cards: z.array(z.object({ cardId: z.string(), last4: z.string(), refunded: z.boolean().optional() })),
    createdAt: z.string(),
    expiresAt: z.string(),
    paidAt: z.string().optional(),
    paymentRef: z.string().optional(),
    revealedAt: z.string().optional(),
    disputeDeadline: z.string().optional(),
    releasedAt: z.string().optional(),
    closedAt: z.string().optional(),
    buyerMessage: z.string(),
    sellerMessage: z.string(),
    refundDue: z.array(RefundDueSchema).optional(),
  })
  .openapi('Order');

export function orderView(order: Order): z.infer<typeof OrderSchema> {
  const {
    tenantId: _t,
    revealKeyHash: _k,
    version: _v,
    refundsDue,
    unitPrice: _u,
    brand: _b,
    ...rest
  } = order;
  return {
    ...rest,
    cards: order.cards.map((c) => ({ ...c })),
    buyerMessage: buyerMessage(order),
    sellerMessage: sellerMessage(order),
    ...(refundsDue.length > 0 ? { refundDue: [...refundsDue] } : {}),
  };
}

export const RevelationSchema = z
  .object({
    orderId: z.string(),
    revealedAt: z.string(),
    cards: z.array(z.object({ cardId: z.string(), code: z.string(), pin: z.string().optional() })),
  })
  .openapi('Revelation');

export function revelationView(r: Revelation): z.infer<typeof RevelationSchema> {
  return { orderId: r.orderId, revealedAt: r.revealedAt, cards: r.cards.map((c) => ({ ...c })) };
}

export const ReportSchema = z
  .object({
    reportId: z.string(),
    orderId: z.string(),
    cardId: z.string(),
    buyerId: z.string(),
    reason: z.literal('already_redeemed'),
    decision: z.enum(['refunded', 'rejected', 'escalated']),
    evidence: z.object({
      issuerState: z.enum(['active', 'redeemed', 'invalid', 'unreachable']),
      redeemedAt: z.string().optional(),
      revealedAt: z.string(),
      checkedAt: z.string(),
      rationale: z.string(),
    }),
    refund: MoneySchema.optional(),
    sellerPenalty: MoneySchema.optional(),
    createdAt: z.string(),
  })
  .openapi('Report');

export function reportView(report: Report): z.infer<typeof ReportSchema> {
  const { tenantId: _t, ...rest } = report;
  return rest;
}

export const EventsSchema = z
  .object({
    orderId: z.string(),
    events: z.array(
      z.object({
        eventId: z.string(),
        type: z.string(),
        actor: z.string(),
        from: z.string().optional(),
        to: z.string().optional(),
        at: z.string(),
        data: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .openapi('OrderEvents');

export function eventsView(orderId: string, events: OrderEvent[]): z.infer<typeof EventsSchema> {
  return { orderId, events: events.map(({ orderId: _o, ...e }) => e) };
}

export const SellerStandingSchema = z
  .object({
    sellerId: z.string(),
    status: z.enum(['active', 'suspended']),
    strikes: z.number().int(),
    strikesTotal: z.number().int(),
    suspendedAt: z.string().optional(),
    payoutsHeld: z.boolean(),
    balance: z.record(z.string(), z.object({ held: z.number().int(), available: z.number().int() })),
    penalties: z.array(
      z.object({
        penaltyId: z.string(),
        orderId: z.string(),
        reportId: z.string(),
        cardId: z.string(),
        fine: MoneySchema,
        at: z.string(),
      }),
    ),
  })
  .openapi('SellerStanding');

export function sellerView(s: SellerStandingView): z.infer<typeof SellerStandingSchema> {
  return { ...s, penalties: [...s.penalties] };
}

export const BuyerCreditSchema = z
  .object({
    buyerId: z.string(),
    reportsTotal: z.number().int(),
    upheld: z.number().int(),
    rejected: z.number().int(),
    escalated: z.number().int(),
    creditPoor: z.boolean(),
  })
  .openapi('BuyerCredit');

export function buyerView(
  b: BuyerCreditView | Omit<BuyerCredit, 'rejectionTimes'>,
): z.infer<typeof BuyerCreditSchema> {
  return { creditPoor: false, ...b };
}
