/** Schemas of the items the order store reads. */
import * as z from 'zod/mini';
import type { OrderEvent } from '../../domain/entities.js';
import { type Order, type OrderCard, orderStates, type RefundDue } from '../../domain/order.js';
import type { IdempotencyRecord, PaymentOutcome } from '../../ports/store.js';
import { entity, money, oneOf, optionalText, refundReason, text } from './item-schema.js';

const refundDue = entity<RefundDue>()(
  z.object({ paymentRef: text, amount: money, reason: refundReason, recordedAt: text }),
);

const orderCard = entity<OrderCard>()(
  z.object({ cardId: text, last4: text, refunded: z.optional(z.boolean()) }),
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
    amount: money,
    state: z.enum(orderStates),
    cards: z.array(orderCard),
    createdAt: text,
    expiresAt: text,
    paidAt: optionalText,
    paymentRef: optionalText,
    revealedAt: optionalText,
    revealKeyHash: optionalText,
    disputeDeadline: optionalText,
    releasedAt: optionalText,
    closedAt: optionalText,
    refundReason: optionalText,
    openReports: z.optional(z.int()),
    refunded: money,
    refundsDue: z.array(refundDue),
    version: z.int(),
  }),
);

/** A due-index row: the projection `listDueOrders` reads. */
export const dueOrderSchema = z.object({ tenantId: text, orderId: text, gsi1sk: text });

/** A seller-index row: the projection `listOpenSellerOrders` reads. */
export const openOrderSchema = z.object({ orderId: text });

export const eventSchema = entity<OrderEvent>()(
  z.object({
    eventId: text,
    orderId: text,
    type: text,
    actor: oneOf<OrderEvent['actor']>()(['buyer', 'seller', 'marketplace', 'vault', 'sweeper', 'issuer']),
    from: optionalText,
    to: optionalText,
    at: text,
    data: z.optional(z.record(z.string(), z.unknown())),
  }),
);

export const idempotencySchema = entity<IdempotencyRecord>()(
  z.object({ requestHash: text, status: z.int(), body: z.unknown(), ttl: z.optional(z.number()) }),
);

const paymentOutcome = entity<PaymentOutcome>()(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('applied') }),
    z.object({ kind: z.literal('refund_due'), reason: refundReason }),
  ]),
);

export const paymentSchema = z.object({ amount: money, outcome: paymentOutcome });
