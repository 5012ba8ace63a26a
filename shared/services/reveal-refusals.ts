import { CodeAlreadyRedeemedError, InvalidStateError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';

/** Why a refunded order shows nothing: its codes were dead, or its seller was suspended. */
export function refundRefusal(order: Order): CodeAlreadyRedeemedError | InvalidStateError {
  const reason = order.refundReason;
  switch (reason) {
    case 'code_dead_before_reveal':
      return refundedError(order);
    // Every pre-reveal refund records its reason; an order without one is answered as before.
    case 'seller_suspended':
    case undefined:
      return suspendedRefundError(order);
    default: {
      const unhandled: never = reason;
      throw new Error(`unhandled refund reason ${String(unhandled)}`);
    }
  }
}

function refundedError(order: Order): CodeAlreadyRedeemedError {
  return new CodeAlreadyRedeemedError(
    'the code was already redeemed; the order is refunded and nothing is shown',
    {
      refund: order.refunded,
      state: order.state,
    },
  );
}

function suspendedRefundError(order: Order): InvalidStateError {
  return new InvalidStateError(
    'the order was refunded before delivery (the seller is suspended); nothing is shown',
    {
      state: order.state,
      refund: order.refunded,
    },
  );
}
