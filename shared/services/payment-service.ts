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
import type { PaymentOutcome } from '../ports/store.js';
import { backoff, type OrderRunner } from './order-runner.js';
import type { VaultDeps } from './vault-deps.js';

const ATTEMPTS = 8;

/**
 * Payment callbacks (F4, F8). Idempotent by payment reference: the same reference always gets
 * the same answer. A payment that cannot apply (late, cancelled, second reference) is never
 * lost: it is recorded on the order as a refund due.
 */
export class PaymentService {
  constructor(
    private readonly deps: Pick<VaultDeps, 'stores' | 'clock' | 'logger'>,
    private readonly runner: OrderRunner,
  ) {}

  async record(tenantId: string, orderId: string, paymentRef: string, amount: Money): Promise<Order> {
    const { orders } = this.deps.stores;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      // The payment record first: it is written in the same transaction as the order, so an
      // order read after it is never older than it (a racing duplicate must not see "unpaid").
      const earlier = await orders.getPayment(tenantId, orderId, paymentRef);
      const order = await this.runner.load(tenantId, orderId);
      if (earlier) return answerFor(order, earlier.outcome, paymentRef);

      const now = this.deps.clock.now();
      if (order.state === 'pending_payment' && attempt > 0 && (await this.sellerSuspended(order))) {
        // The payment lost to the seller's suspension: the order is cancelled, the money a refund due.
        await orders.transition(
          this.runner.transitions.closeUnpaid(order, 'cancelled', 'vault', now, 'seller_suspended'),
        );
        continue;
      }
      if (order.state === 'pending_payment') {
        if (!equals(amount, order.amount)) {
          throw new AmountMismatchError('the payment amount does not match the order', {
            expected: order.amount,
            received: amount,
          });
        }
        const transition = this.runner.transitions.markPaid(order, paymentRef, now);
        const outcome = await orders.recordPayment({
          tenantId,
          orderId,
          paymentRef,
          amount,
          outcome: { kind: 'applied' },
          transition,
        });
        if (outcome === 'recorded') return transition.next;
        if (outcome === 'payment-ref-taken') throw referenceReused(paymentRef);
        await backoff(attempt);
        continue; // the same reference raced us, the order changed, or the seller was suspended: read again
      }

      const entry: RefundDue = {
        paymentRef,
        amount,
        reason: refundReason(order),
        recordedAt: now.toISOString(),
      };
      const next: Order = { ...order, refundsDue: [...order.refundsDue, entry], version: order.version + 1 };
      const event = this.runner.transitions.event(
        order,
        now,
        'payment.refund_due',
        'marketplace',
        undefined,
        { ...entry },
      );
      const outcome = await orders.recordPayment({
        tenantId,
        orderId,
        paymentRef,
        amount,
        outcome: { kind: 'refund_due', reason: entry.reason },
        refundDue: { order, next, event },
      });
      if (outcome === 'payment-ref-taken') throw referenceReused(paymentRef);
      if (outcome === 'recorded') {
        this.deps.logger.warn({ tenantId, orderId, reason: entry.reason }, 'payment recorded as refund due');
        throw refusal(next, entry.reason);
      }
      await backoff(attempt);
    }
    throw new InvalidStateError('the order kept changing while the payment was recorded; send it again');
  }

  private async sellerSuspended(order: Order): Promise<boolean> {
    return (await this.deps.stores.parties.getSeller(order.tenantId, order.sellerId))?.status === 'suspended';
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

function refundReason(order: Order): RefundDue['reason'] {
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
