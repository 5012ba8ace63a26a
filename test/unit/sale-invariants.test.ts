import { describe, expect, it } from 'vitest';
import { type SaleWorld, type StoredOrder, saleViolations } from '../../bench/support/sale-invariants.js';
import { eur } from '../support/builders.js';

const placed = { type: 'order.placed', to: 'pending_payment' };
const paid = { type: 'payment.received', from: 'pending_payment', to: 'paid' };
const revealed = { type: 'order.revealed', from: 'paid', to: 'revealed' };
const released = { type: 'order.released', from: 'revealed', to: 'released' };

/** Two cards on one listing: o1 sold, revealed and released (45 EUR available); o2 still unpaid. */
function aWorld(): SaleWorld {
  const o1: StoredOrder = {
    orderId: 'o1',
    listingId: 'l1',
    buyerId: 'bob',
    state: 'released',
    quantity: 1,
    paidAt: 't1',
    paymentRef: 'p1',
    revealedAt: 't2',
    refunded: eur(0),
    cards: [{ cardId: 'c1' }],
    events: [placed, paid, revealed, { type: 'order.redelivered' }, released],
  };
  const o2: StoredOrder = {
    orderId: 'o2',
    listingId: 'l1',
    buyerId: 'carol',
    state: 'pending_payment',
    quantity: 1,
    refunded: eur(0),
    cards: [{ cardId: 'c2' }],
    events: [placed],
  };
  return {
    deposited: [
      { listingId: 'l1', cardId: 'c1', code: 'DEMO-1111-2222' },
      { listingId: 'l1', cardId: 'c2', code: 'DEMO-3333-4444' },
    ],
    cards: new Map([
      ['c1', { cardId: 'c1', state: 'sold', orderId: 'o1' }],
      ['c2', { cardId: 'c2', state: 'reserved', orderId: 'o2' }],
    ]),
    orders: [o1, o2],
    reveals: [{ orderId: 'o1', buyerId: 'bob', key: 'k1', cards: [{ cardId: 'c1', code: 'demo11112222' }] }],
    payments: [
      { orderId: 'o1', paymentRef: 'p1' },
      { orderId: 'o1', paymentRef: 'p1' },
    ],
    ledger: {
      sellers: [
        { tenantId: 't', sellerId: 'alice', balance: { EUR: { held: 0, available: 4500 } }, fines: [] },
      ],
      orders: [
        { tenantId: 't', sellerId: 'alice', amount: eur(4500), paid: true, refunded: eur(0) },
        { tenantId: 't', sellerId: 'alice', amount: eur(4500), paid: false, refunded: eur(0) },
      ],
    },
  };
}

const withOrder = (w: SaleWorld, orderId: string, change: Partial<StoredOrder>): SaleWorld => ({
  ...w,
  orders: w.orders.map((o) => (o.orderId === orderId ? { ...o, ...change } : o)),
});

describe('saleViolations', () => {
  it('finds nothing wrong in a world that kept every invariant (a same-key re-delivery included)', () => {
    const w = aWorld();
    expect(saleViolations({ ...w, reveals: [...w.reveals, ...w.reveals] })).toEqual([]);
  });

  it.each<[string, (w: SaleWorld) => SaleWorld, RegExp]>([
    [
      'a reveal to a second key',
      (w) => ({ ...w, reveals: [...w.reveals, { ...(w.reveals[0] as SaleWorld['reveals'][0]), key: 'k2' }] }),
      /double reveal: order o1 revealed to 2 different keys/,
    ],
    [
      'a reveal to someone else',
      (w) => ({ ...w, reveals: w.reveals.map((r) => ({ ...r, buyerId: 'mallory' })) }),
      /revealed to mallory, not its buyer/,
    ],
    [
      'a reveal of another code',
      (w) => ({
        ...w,
        reveals: w.reveals.map((r) => ({ ...r, cards: [{ cardId: 'c1', code: 'DEMO-3333-4444' }] })),
      }),
      /revealed another code/,
    ],
    [
      'a lost card',
      (w) => ({ ...w, cards: new Map([...w.cards].filter(([id]) => id !== 'c2')) }),
      /card c2 lost/,
    ],
    [
      'a card back on sale under an unpaid order',
      (w) => ({ ...w, cards: new Map([...w.cards, ['c2', { cardId: 'c2', state: 'available' }]]) }),
      /card c2 is available; its order o2 \(pending_payment\) explains reserved/,
    ],
    [
      'a card reserved by an expired order',
      (w) =>
        withOrder(w, 'o2', {
          state: 'expired',
          events: [placed, { type: 'order.expired', from: 'pending_payment', to: 'expired' }],
        }),
      /card c2 is reserved; its order o2 \(expired\) explains available/,
    ],
    [
      'two live orders on one card',
      (w) => withOrder(w, 'o2', { cards: [{ cardId: 'c1' }] }),
      /oversell: card c1 held by o1, o2/,
    ],
    [
      'more cards held than the listing has',
      (w) => withOrder(w, 'o2', { quantity: 2 }),
      /oversell: listing l1 has 2 cards and 3 held/,
    ],
    [
      'a state its trail does not end in',
      (w) => withOrder(w, 'o2', { state: 'paid' }),
      /o2 is paid, its trail's last transition says pending_payment/,
    ],
    [
      'a transition from a state the trail never reached',
      (w) => withOrder(w, 'o2', { state: 'revealed', events: [placed, revealed] }),
      /order.revealed goes from paid, the trail left it pending_payment/,
    ],
    [
      'two payment references answered paid',
      (w) => ({ ...w, payments: [...w.payments, { orderId: 'o1', paymentRef: 'p2' }] }),
      /double payment: order o1 paid by p1, p2/,
    ],
    [
      'one reference applied to two orders',
      (w) => ({ ...w, payments: [...w.payments, { orderId: 'o2', paymentRef: 'p1' }] }),
      /payment p1 applied to o1 and o2/,
    ],
    [
      'an unbalanced ledger',
      (w) => ({
        ...w,
        ledger: {
          ...w.ledger,
          sellers: w.ledger.sellers.map((s) => ({ ...s, balance: { EUR: { held: 4500, available: 4500 } } })),
        },
      }),
      /unbalanced ledger: seller alice EUR held 4500 \+ available 4500/,
    ],
  ])('reports %s', (_, breakIt, expected) => {
    const violations = saleViolations(breakIt(aWorld()));
    expect(violations.join('\n')).toMatch(expected);
  });
});
