import type { Brand } from '../../shared/domain/brand.js';
import type { Card } from '../../shared/domain/card.js';
import { type Money, money, multiply, zero } from '../../shared/domain/money.js';
import type { Order, OrderCard, OrderState } from '../../shared/domain/order.js';
import type { OrderTransition } from '../../shared/domain/order-transition.js';

/**
 * Test-data builders: each returns a valid, internally consistent value; a test overrides only
 * the fields it is about. Times are fixed so expectations can be written literally.
 */

/** The fixed "now" of unit tests. */
export const T0 = '2030-01-01T00:00:00.000Z';

export function plusSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/** `T0 + seconds` as a Date. */
export function at(seconds = 0): Date {
  return new Date(Date.parse(T0) + seconds * 1000);
}

export const eur = (amount: number): Money => money(amount, 'EUR');

/** Sum of the signed ledger moves of some transitions, as the seller's balance would see it. */
export function balanceAfter(...steps: OrderTransition[]) {
  const lines = steps.flatMap((s) => s.ledger);
  return {
    held: lines.reduce((sum, l) => sum + l.held, 0),
    available: lines.reduce((sum, l) => sum + l.available, 0),
  };
}

export function someOrderCards(count: number): OrderCard[] {
  return Array.from({ length: count }, (_, i) => ({ cardId: `crd_${i + 1}`, last4: `${1000 + i + 1}` }));
}

const PAYMENT_TIMEOUT_SECONDS = 900;
const DISPUTE_WINDOW_SECONDS = 86_400;
const reached = (state: OrderState, ...states: OrderState[]) => states.includes(state);

/**
 * An order in `state` (default `pending_payment`) with the timestamps that state implies:
 * paid at T0+60 s, revealed at T0+120 s, dispute deadline a day after the reveal.
 * Quantity and amount follow the cards unless overridden.
 */
export function anOrder(overrides: Partial<Order> = {}): Order {
  const state = overrides.state ?? 'pending_payment';
  const unitPrice = overrides.unitPrice ?? eur(4500);
  const cards = overrides.cards ?? someOrderCards(overrides.quantity ?? 1);
  const createdAt = overrides.createdAt ?? T0;
  const paid = reached(state, 'paid', 'revealed', 'released', 'refunded');
  const revealed = reached(state, 'revealed', 'released');
  const paidAt = plusSeconds(createdAt, 60);
  const revealedAt = plusSeconds(createdAt, 120);
  return {
    tenantId: 'tnt_test',
    orderId: 'ord_test',
    listingId: 'lst_test',
    sellerId: 'seller-1',
    buyerId: 'buyer-1',
    brand: 'demo-gift',
    quantity: cards.length,
    unitPrice,
    amount: multiply(unitPrice, cards.length),
    state,
    cards,
    createdAt,
    expiresAt: plusSeconds(createdAt, PAYMENT_TIMEOUT_SECONDS),
    ...(paid ? { paidAt, paymentRef: 'pay-1' } : {}),
    ...(revealed
      ? {
          revealedAt,
          revealKeyHash: 'key-hash',
          disputeDeadline: plusSeconds(revealedAt, DISPUTE_WINDOW_SECONDS),
        }
      : {}),
    ...(state === 'released' ? { releasedAt: plusSeconds(revealedAt, DISPUTE_WINDOW_SECONDS) } : {}),
    refunded: zero(unitPrice.currency),
    refundsDue: [],
    version: 1,
    ...overrides,
  };
}

export function aCard(overrides: Partial<Card> = {}): Card {
  return {
    tenantId: 'tnt_test',
    cardId: 'crd_1',
    listingId: 'lst_test',
    sellerId: 'seller-1',
    state: 'available',
    last4: '1001',
    ciphertext: 'Y2lwaGVydGV4dA==',
    fingerprint: 'fp-1',
    validation: { issuerState: 'active', balance: eur(5000), checkedAt: T0 },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aBrand(overrides: Partial<Brand> = {}): Brand {
  return {
    brand: 'demo-gift',
    issuerUrl: 'http://issuer.invalid',
    codePattern: '[A-Z0-9]{16}',
    createdAt: T0,
    ...overrides,
  };
}
