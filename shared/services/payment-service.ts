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
 * Payment callbacks (F4, F8). Idempotent by payment reference: the same reference always gets
 * the same answer. A payment that cannot apply (late, cancelled, second reference) is never
 * lost: it is recorded on the order as a refund due.
 */
export class PaymentService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
  ) {}

  async record(tenantId: string, orderId: string, paymentRef: string, amount: Money): Promise<Order> {
    const { orders, parties } = this.deps.stores;
    return this.runner.run<Order>(tenantId, orderId, async (order, now) => {
      const [earlier, seller] = await Promise.all([
        orders.getPayment(tenantId, orderId, paymentRef),
        parties.getSeller(tenantId, order.sellerId),
      ]);
      if (earlier) {
        // The order was read before the payment record, so it may predate it: answer from a
        // fresh read (both are written in one transaction), never a stale "unpaid".
        return { done: answerFor(await this.runner.load(tenantId, orderId), earlier.outcome, paymentRef) };
      }
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
        return written === 'recorded' ? ('done' as const) : ('conflict' as const);
      };
      const { transitions } = this;

      if (order.state === 'pending_payment' && seller?.status !== 'suspended') {
        if (!equals(amount, order.amount)) {
          throw new AmountMismatchError('the payment amount does not match the order', {
            expected: order.amount,
            received: amount,
          });
        }
        const transition = transitions.markPaid(order, paymentRef, now);
        return { transition, write: record(transition, { kind: 'applied' }), result: (next) => next };
      }

      // Not payable (late, cancelled, already paid, or the seller is suspended): never lost, kept as a refund due.
      const base =
        order.state === 'pending_payment'
          ? transitions.closeUnpaid(order, 'cancelled', 'vault', now, 'seller_suspended')
          : transitions.touch(order, now);
      const reason = refundReason(base.next);
      const transition = transitions.withRefundDue(
        base,
        { paymentRef, amount, reason, recordedAt: now.toISOString() },
        now,
      );
      return {
        transition,
        write: record(transition, { kind: 'refund_due', reason }),
        result: (next) => {
          this.deps.logger.warn({ tenantId, orderId, reason }, 'payment recorded as refund due');
          throw refusal(next, reason);
        },
      };
    });
  }
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

/** The same reference again: the answer it got the first time. */
function answerFor(order: Order, outcome: PaymentOutcome, paymentRef: string): Order {
  if (outcome.kind === 'applied') return order;
  throw refusal(order, outcome.reason, paymentRef);
}

function refusal(order: Order, reason: RefundDue['reason'], paymentRef?: string): DomainError {
  const refundsDue = order.refundsDue.filter((r) => paymentRef === undefined || r.paymentRef === paymentRef);
  const details = { state: order.state, refundDue: refundsDue.at(-1) };
  switch (reason) {
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
