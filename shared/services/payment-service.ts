import {
  AlreadyPaidError,
  AmountMismatchError,
  type DomainError,
  InvalidStateError,
  OrderExpiredError,
  PaymentReferenceReusedError,
} from '../domain/errors.js';
import { equals, type Money } from '../domain/money.js';
import type { Order, RefundDue } from '../domain/order.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import type { PaymentOutcome } from '../ports/order-store.js';
import type { OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * What a payment callback came to: the order after it, and how the reference is recorded.
 * `replayed`: the reference was recorded before, so this is the first answer again.
 */
interface Answer {
  readonly order: Order;
  readonly outcome: PaymentOutcome;
  readonly replayed: boolean;
}

/**
 * Payment callbacks (F4, F8). Idempotent by payment reference: the same reference always gets
 * the same answer. A payment that cannot apply (wrong amount, late, cancelled, second reference) is never
 * lost: it is recorded on the order as a refund due.
 */
export class PaymentService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
  ) {}

  async record(tenantId: string, orderId: string, paymentRef: string, amount: Money): Promise<Order> {
    const answer = await this.decide(tenantId, orderId, paymentRef, amount);
    if (answer.outcome.kind === 'applied') return answer.order;
    if (!answer.replayed) {
      this.deps.logger.warn(
        { tenantId, orderId, reason: answer.outcome.reason },
        'payment recorded as refund due',
      );
    }
    throw refusal(answer.order, answer.outcome.reason, paymentRef);
  }

  /** What the payment is, on the order as now: applied, kept as a refund due, or the first answer again. */
  private decide(tenantId: string, orderId: string, paymentRef: string, amount: Money): Promise<Answer> {
    const { orders, parties } = this.deps.stores;
    let sellerSuspended = false;
    return this.runner.run<Answer>(tenantId, orderId, async (order, now) => {
      // Every payment recorded for this order is on the order itself (its paymentRef or a refund
      // due), written in the same transaction as the payment record: the order just read answers
      // a replay, with no read of the record and no stale "unpaid".
      const earlier = recordedOutcome(order, paymentRef);
      if (earlier) return { done: { order, outcome: earlier, replayed: true } };
      // The seller is read only once a write was refused on the seller: a payment that applies
      // requires an active seller in its own transaction (markPaid's requireActiveSeller).
      const suspended =
        sellerSuspended && (await parties.getSeller(tenantId, order.sellerId))?.status === 'suspended';
      const record = (transition: OrderTransition, outcome: PaymentOutcome) => async () => {
        const written = await orders.recordPayment({
          tenantId,
          orderId,
          paymentRef,
          amount,
          outcome,
          transition,
        });
        if (written === 'payment-ref-taken') throw referenceReused(paymentRef);
        if (written === 'seller-suspended') sellerSuspended = true;
        return written === 'recorded' ? ('done' as const) : ('conflict' as const);
      };
      const { transitions } = this;

      const payable = order.state === 'pending_payment' && !suspended;
      if (payable && equals(amount, order.amount)) {
        const transition = transitions.markPaid(order, paymentRef, now);
        const outcome: PaymentOutcome = { kind: 'applied' };
        return {
          transition,
          write: record(transition, outcome),
          result: (next) => ({ order: next, outcome, replayed: false }),
        };
      }

      // Not payable (wrong amount, late, cancelled, already paid, or the seller is suspended):
      // never lost, kept as a refund due. A wrong amount leaves the order open for the right one.
      const base =
        order.state === 'pending_payment' && !payable
          ? transitions.closeUnpaid(order, 'cancelled', 'vault', now, 'seller_suspended')
          : transitions.touch(order, now);
      const reason = payable ? 'amount_mismatch' : refundReason(base.next);
      const transition = transitions.withRefundDue(
        base,
        { paymentRef, amount, reason, recordedAt: now.toISOString() },
        now,
      );
      const outcome: PaymentOutcome = { kind: 'refund_due', reason };
      return {
        transition,
        write: record(transition, outcome),
        result: (next) => ({ order: next, outcome, replayed: false }),
      };
    });
  }
}

/** How a payment reference was recorded on this order, if it was. */
function recordedOutcome(order: Order, paymentRef: string): PaymentOutcome | undefined {
  if (order.paymentRef === paymentRef) return { kind: 'applied' };
  const due = order.refundsDue.find((r) => r.paymentRef === paymentRef);
  return due ? { kind: 'refund_due', reason: due.reason } : undefined;
}

function referenceReused(paymentRef: string): PaymentReferenceReusedError {
  return new PaymentReferenceReusedError(
    'this paymentRef was already used for another order; nothing was recorded',
    {
      paymentRef,
    },
  );
}

function refundReason(order: Pick<Order, 'state'>): RefundDue['reason'] {
  switch (order.state) {
    case 'expired':
      return 'order_expired';
    case 'cancelled':
      return 'order_cancelled';
    case 'paid':
    case 'revealed':
    case 'released':
      return 'duplicate_payment';
    default:
      return 'order_not_payable';
  }
}

/** Why a payment that is kept as a refund due is refused, with that refund due as detail. */
function refusal(order: Order, reason: RefundDue['reason'], paymentRef: string): DomainError {
  const refundsDue = order.refundsDue.filter((r) => r.paymentRef === paymentRef);
  const details = { state: order.state, refundDue: refundsDue.at(-1) };
  switch (reason) {
    case 'amount_mismatch':
      return new AmountMismatchError(
        'the payment amount does not match the order; the payment is recorded as a refund due',
        { ...details, expected: order.amount, received: refundsDue.at(-1)?.amount },
      );
    case 'order_expired':
      return new OrderExpiredError(
        'the order expired before payment; the payment is recorded as a refund due',
        details,
      );
    case 'duplicate_payment':
      return new AlreadyPaidError(
        'the order is already paid; this payment is recorded as a refund due',
        details,
      );
    default:
      return new InvalidStateError(
        `the order is ${order.state}; the payment is recorded as a refund due`,
        details,
      );
  }
}
