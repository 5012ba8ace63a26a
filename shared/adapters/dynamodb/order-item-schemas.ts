/** Schemas of the items the order store reads. */

import * as z from 'zod/mini';
import {
  type Order,
  type OrderCard,
  orderStates,
  type RefundDue,
  refundReasons,
} from '../../domain/order.js';
import { actors, type OrderEvent } from '../../domain/order-event.js';
import { trailTypes } from '../../domain/trail-type.js';
import type { IdempotencyRecord, PaymentOutcome } from '../../ports/order-store.js';
import {
  answerSignature,
  entity,
  issuerState,
  money,
  optionalText,
  refundDueReason,
  text,
} from './item-schema.js';

const refundDue = entity<RefundDue>()(
  z.object({ paymentRef: text, amount: money, reason: refundDueReason, recordedAt: text }),
);

const orderCard = entity<OrderCard>()(
  z.object({
    cardId: text,
    last4: text,
    refunded: z.optional(z.boolean()),
    issuerStateAtReveal: z.optional(issuerState),
    balanceAtReveal: z.optional(money),
    answerSignatureAtReveal: z.optional(answerSignature),
  }),
);

export const orderSchema = entity<Order>()(
  z.object({
    tenantId: text,
    orderId: text,
    listingId: text,
    sellerId: text,
    buyerId: text,
    brand: text,
    quantity: z.int(),
    unitPrice: money,
    faceValue: z.optional(money),
    amount: money,
    state: z.enum(orderStates),
    cards: z.array(orderCard),
    createdAt: text,
    expiresAt: text,
    paidAt: optionalText,
    paymentRef: optionalText,
    revealedAt: optionalText,
    revealKeyHash: optionalText,
    recheckAt: optionalText,
    recheckAttempts: z.optional(z.int()),
    disputeDeadline: optionalText,
    releasedAt: optionalText,
    closedAt: optionalText,
    refundReason: z.optional(z.enum(refundReasons)),
    openReports: z.optional(z.int()),
    releaseHeld: z.optional(z.boolean()),
    refunded: money,
    refundsDue: z.array(refundDue),
    trailHead: optionalText,
    version: z.int(),
  }),
);

/** A due-index row: the projection `listDueOrders` reads. */
export const dueOrderSchema = z.object({ tenantId: text, orderId: text, gsi1sk: text });

/** A recheck-index row: an unrevealed paid order (no cardId) or a report whose issuer is re-asked. */
export const dueRecheckSchema = z.object({
  tenantId: text,
  orderId: text,
  cardId: optionalText,
  gsi1sk: text,
});

/** A seller-index row: the projection `listOpenSellerOrders` reads. */
export const openOrderSchema = z.object({ orderId: text });

export const eventSchema = entity<OrderEvent>()(
  z.object({
    eventId: text,
    orderId: text,
    type: z.enum(trailTypes),
    actor: z.enum(actors),
    from: optionalText,
    to: optionalText,
    at: text,
    data: z.optional(z.record(z.string(), z.unknown())),
    prevHash: optionalText,
    hash: optionalText,
  }),
);

export const idempotencySchema = entity<IdempotencyRecord>()(
  z.object({ requestHash: text, status: z.int(), body: z.unknown(), ttl: z.optional(z.number()) }),
);

const paymentOutcome = entity<PaymentOutcome>()(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('applied') }),
    z.object({ kind: z.literal('refund_due'), reason: refundDueReason }),
  ]),
);

export const paymentSchema = z.object({ amount: money, outcome: paymentOutcome });
