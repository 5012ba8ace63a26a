import type { Order } from './order.js';

/**
 * Plain-language status texts for both parties. F4: a seller must never read an
 * unpaid order as "paid"; the vault, not the seller, delivers the code.
 * The seller is never told when the buyer revealed: a seller who kept the code would know
 * exactly when to spend it. Paid and revealed read the same.
 */
const PAID_IN_ESCROW =
  'Paid into escrow. The vault delivers the code to the buyer; do not send anything yourself. The money is released to you when the dispute window closes.';

export function sellerMessage(order: Pick<Order, 'state'>): string {
  switch (order.state) {
    case 'pending_payment':
      return 'NOT PAID - do not send anything. The buyer has not paid. The vault delivers the code automatically once payment clears; you never send a code yourself.';
    case 'paid':
    case 'revealed':
      return PAID_IN_ESCROW;
    case 'released':
      return 'Completed. The money has been released to your available balance.';
    case 'expired':
      return 'Expired unpaid. Nothing was sold; the card is back in stock. Do not send anything.';
    case 'cancelled':
      return 'Cancelled before payment. Nothing was sold. Do not send anything.';
    case 'refunded':
      return 'Refunded to the buyer. See the order events for the reason.';
  }
}

export function buyerMessage(order: Pick<Order, 'state'>): string {
  switch (order.state) {
    case 'pending_payment':
      return 'Awaiting your payment. Your code is sealed in the vault and is shown only here, once payment clears. Never pay or scan anything outside this order.';
    case 'paid':
      return 'Payment received. You can reveal your code now.';
    case 'revealed':
      return 'Code revealed. If it does not work, report it before the dispute window closes.';
    case 'released':
      return 'Completed.';
    case 'expired':
      return 'Expired: payment did not arrive in time. Any late payment is refunded.';
    case 'cancelled':
      return 'Cancelled. Any payment made is refunded.';
    case 'refunded':
      return 'Refunded. The price of the affected code(s) is returned to you.';
  }
}
