import { recordedIssuerStates } from '../../domain/issuer-check.js';
import {
  type Order,
  type OrderCard,
  orderStates,
  type RefundDue,
  refundDueReasons,
  refundReasons,
} from '../../domain/order.js';
import { buyerMessage, sellerMessage } from '../../domain/order-messages.js';
import { MoneySchema, timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { moneyView } from './money-view.js';

const OrderCardSchema = z
  .object({
    cardId: z.string(),
    // Only once the order is paid: an unpaid order is not the buyer's yet, so it identifies no code.
    last4: z.string().optional(),
    refunded: z.boolean().optional(),
    // Evidence for a dispute desk: what the issuer said at the re-check before reveal. Never the code.
    issuerStateAtReveal: z
      .enum(recordedIssuerStates)
      .optional()
      .openapi({
        description:
          'The issuer at the re-check before reveal: `active` (confirmed live), `unreachable` (revealed ' +
          'without an answer, REVALIDATE_BEFORE_REVEAL=best-effort), or the dead state that refunded ' +
          'the order. Absent when no re-check ran.',
      }),
    // A plain $ref to Money, so the document declares its keys; the description is on the object.
    balanceAtReveal: MoneySchema.optional(),
  })
  .openapi('OrderCard', {
    description:
      '`balanceAtReveal`: the balance the issuer gave at the re-check before reveal, when it gave one.',
  });

const RefundDueSchema = z.object({
  paymentRef: z.string(),
  amount: MoneySchema,
  reason: z.enum(refundDueReasons),
  recordedAt: timestamp(),
});

/** Not the tenant, the brand, the unit price, the reveal key hash or the version: those stay inside. */
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
    cards: z.array(OrderCardSchema),
    createdAt: timestamp(),
    expiresAt: timestamp(),
    paidAt: timestamp().optional(),
    paymentRef: z.string().optional(),
    revealedAt: timestamp().optional(),
    disputeDeadline: timestamp().optional(),
    releasedAt: timestamp().optional(),
    closedAt: timestamp().optional(),
    refundReason: z.enum(refundReasons).optional(),
    openReports: z.number().int().optional(),
    buyerMessage: z.string(),
    sellerMessage: z.string(),
    refundDue: z.array(RefundDueSchema).optional(),
  })
  .openapi('Order');

type OrderView = z.infer<typeof OrderSchema>;

/** The optional fields published when set, by name. */
const optionalFields = [
  'paidAt',
  'paymentRef',
  'revealedAt',
  'disputeDeadline',
  'releasedAt',
  'closedAt',
  'refundReason',
  'openReports',
] as const satisfies ReadonlyArray<keyof Order & keyof OrderView>;

export function orderView(order: Order): OrderView {
  const optional = Object.fromEntries(
    optionalFields.flatMap((name) => (order[name] === undefined ? [] : [[name, order[name]]])),
  ) as Pick<OrderView, (typeof optionalFields)[number]>;
  return {
    orderId: order.orderId,
    listingId: order.listingId,
    sellerId: order.sellerId,
    buyerId: order.buyerId,
    state: order.state,
    quantity: order.quantity,
    amount: moneyView(order.amount),
    refunded: moneyView(order.refunded),
    cards: order.cards.map((c) => orderCardView(c, order.paidAt !== undefined)),
    createdAt: order.createdAt,
    expiresAt: order.expiresAt,
    ...optional,
    buyerMessage: buyerMessage(order),
    sellerMessage: sellerMessage(order),
    ...(order.refundsDue.length > 0 ? { refundDue: order.refundsDue.map(refundDueView) } : {}),
  };
}

function orderCardView(c: OrderCard, paid: boolean): z.infer<typeof OrderCardSchema> {
  return {
    cardId: c.cardId,
    ...(paid ? { last4: c.last4 } : {}),
    ...(c.refunded !== undefined ? { refunded: c.refunded } : {}),
    ...(c.issuerStateAtReveal !== undefined ? { issuerStateAtReveal: c.issuerStateAtReveal } : {}),
    ...(c.balanceAtReveal !== undefined ? { balanceAtReveal: moneyView(c.balanceAtReveal) } : {}),
  };
}

function refundDueView(r: RefundDue): z.infer<typeof RefundDueSchema> {
  return {
    paymentRef: r.paymentRef,
    amount: moneyView(r.amount),
    reason: r.reason,
    recordedAt: r.recordedAt,
  };
}
