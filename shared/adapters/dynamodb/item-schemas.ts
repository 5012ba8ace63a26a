/**
 * One schema per item kind read from the table, so a malformed item fails here, named, and not
 * deep in a service (see `parseItem`).
 *
 * Why zod/mini and not hand-written mappers: the item kinds are nested (money, evidence,
 * validation, refunds due) and a schema states each in a line where a mapper needs a check per
 * field. Every Lambda bundle already carries zod's core (config reads env with zod), and zod/mini's
 * functions add only what is used here: these schemas cost each bundle about 5 KB minified,
 * 1.7 KB gzipped (`npm run bundle:report`), where classic zod's methods would not tree-shake.
 * `entity<T>()` and `oneOf<T>()` hold each schema to its domain type at compile time.
 */
import * as z from 'zod/mini';
import type { Brand } from '../../domain/brand.js';
import { type Card, type CardValidation, cardStates } from '../../domain/card.js';
import type {
  Listing,
  OrderEvent,
  Penalty,
  Report,
  ReportEvidence,
  SellerStatus,
} from '../../domain/entities.js';
import type { Money } from '../../domain/money.js';
import { type Order, type OrderCard, orderStates, type RefundDue } from '../../domain/order.js';
import type { FingerprintOwner, IdempotencyRecord, PaymentOutcome } from '../../ports/store.js';

type Missing<T, S extends z.ZodMiniType> = Exclude<keyof T, keyof z.output<S>>;

/**
 * A schema for domain type `T`: its output must be a `T`, and it must name every field of `T`
 * (parsing drops the attributes a schema does not name, so a forgotten field would vanish).
 */
const entity =
  <T>() =>
  <S extends z.ZodMiniType<T>>(
    schema: S & ([Missing<T, S>] extends [never] ? unknown : { missing: Missing<T, S> }),
  ) =>
    schema;

/** An enum over a domain union the domain does not export as an array: it must list every value, and no other. */
const oneOf =
  <T extends string>() =>
  <const V extends readonly [T, ...T[]]>(
    values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : never),
  ) =>
    z.enum(values);

const text = z.string();
const optionalText = z.optional(z.string());
const issuerState = oneOf<CardValidation['issuerState']>()(['active', 'redeemed', 'invalid', 'unreachable']);

const money = entity<Money>()(z.object({ amount: z.int(), currency: text }));

export const apiKeySchema = z.object({ tenantId: text, secretHash: text });

export const brandSchema = entity<Brand>()(
  z.object({ brand: text, issuerUrl: text, codePattern: text, pinPattern: optionalText, createdAt: text }),
);

export const listingSchema = entity<Listing>()(
  z.object({
    tenantId: text,
    listingId: text,
    sellerId: text,
    brand: text,
    faceValue: money,
    price: money,
    title: optionalText,
    createdAt: text,
  }),
);

const cardValidation = entity<CardValidation>()(
  z.object({ issuerState, balance: z.optional(money), redeemedAt: optionalText, checkedAt: text }),
);

export const cardSchema = entity<Card>()(
  z.object({
    tenantId: text,
    cardId: text,
    listingId: text,
    sellerId: text,
    state: z.enum(cardStates),
    last4: text,
    ciphertext: text,
    fingerprint: text,
    validation: cardValidation,
    orderId: optionalText,
    createdAt: text,
    updatedAt: text,
  }),
);

/** The projection `stock` reads of each card. */
export const cardStockSchema = z.object({
  state: z.enum(cardStates),
  orderId: optionalText,
  reservedUntil: optionalText,
});

export const fingerprintSchema = entity<FingerprintOwner>()(
  z.object({ tenantId: text, listingId: text, cardId: text }),
);

const refundReason = oneOf<RefundDue['reason']>()([
  'order_expired',
  'order_cancelled',
  'duplicate_payment',
  'order_not_payable',
]);

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

const evidence = entity<ReportEvidence>()(
  z.object({ issuerState, redeemedAt: optionalText, revealedAt: text, checkedAt: text, rationale: text }),
);

export const reportSchema = entity<Report>()(
  z.object({
    tenantId: text,
    reportId: text,
    orderId: text,
    cardId: text,
    buyerId: text,
    reason: oneOf<Report['reason']>()(['already_redeemed']),
    decision: oneOf<Report['decision']>()(['refunded', 'rejected', 'escalated']),
    evidence,
    refund: z.optional(money),
    sellerPenalty: z.optional(money),
    createdAt: text,
  }),
);

export const penaltySchema = entity<Penalty>()(
  z.object({ penaltyId: text, orderId: text, reportId: text, cardId: text, fine: money, at: text }),
);

/** A seller never seen before is active. Balances are attributes of their own (see `balanceAttribute`). */
export const sellerSchema = z.object({
  status: z.optional(oneOf<SellerStatus>()(['active', 'suspended'])),
  strikeTimes: z.optional(z.array(text)),
  suspendedAt: optionalText,
});

/** One attribute per currency and side (`balHeld_EUR`), so a transaction can ADD to it. */
export const balanceAttribute = /^bal(Held|Avail)_([A-Z]{3})$/;
export const balancesSchema = z.record(z.string(), z.int());

/** Counters start when the buyer's first report is recorded: an absent one is zero. */
export const buyerSchema = z.object({
  reportsTotal: z.optional(z.int()),
  upheld: z.optional(z.int()),
  rejected: z.optional(z.int()),
  escalated: z.optional(z.int()),
  rejectionTimes: z.optional(z.array(text)),
});
