import { describe, expect, it } from 'vitest';
import type { Listing } from '../../shared/domain/listing.js';
import type { Order } from '../../shared/domain/order.js';
import type { OrderEvent } from '../../shared/domain/order-event.js';
import type { Report } from '../../shared/domain/report.js';
import { buyerView } from '../../shared/http/views/buyer-credit-view.js';
import { cardView } from '../../shared/http/views/card-view.js';
import { depositView } from '../../shared/http/views/deposit-view.js';
import { eventsView } from '../../shared/http/views/events-view.js';
import { listingView } from '../../shared/http/views/listing-view.js';
import { orderView } from '../../shared/http/views/order-view.js';
import { reportView } from '../../shared/http/views/report-view.js';
import { revelationView } from '../../shared/http/views/revelation-view.js';
import { sellerView } from '../../shared/http/views/seller-standing-view.js';
import type { DepositResult } from '../../shared/services/deposit-service.js';
import type { Revelation } from '../../shared/services/reveal-service.js';
import type { BuyerCreditView, SellerStandingView } from '../../shared/services/standing-service.js';
import { aCard, anOrder, eur, T0 } from '../support/builders.js';

/**
 * Views are allow-lists. Every entity here has every optional field set and, at every level,
 * a field no view names (`leak`): it must not come out, and the keys that do are exactly the
 * documented ones.
 */
const leak = { leak: 'stored but never published' };
const money = { ...eur(4500), ...leak };

/** Every key path of a JSON-like value, sorted (`cards[].cardId`). */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${path}[]`)))].sort();
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value)
    .flatMap(([k, v]) => [`${path}${path ? '.' : ''}${k}`, ...keyPaths(v, `${path}${path ? '.' : ''}${k}`)])
    .sort();
}
const moneyKeys = (name: string) => [name, `${name}.amount`, `${name}.currency`];

describe('orderView', () => {
  it('shows no last4 before payment, and shows it once paid', () => {
    const unpaid = {
      ...anOrder({ state: 'pending_payment' }),
      cards: [{ cardId: 'crd_1', last4: '1001' }],
    } as Order;
    expect(orderView(unpaid).cards).toEqual([{ cardId: 'crd_1' }]);
    expect(orderView({ ...unpaid, state: 'expired' }).cards).toEqual([{ cardId: 'crd_1' }]);
    expect(orderView({ ...unpaid, state: 'paid', paidAt: T0 }).cards).toEqual([
      { cardId: 'crd_1', last4: '1001' },
    ]);
  });

  it('publishes exactly the documented order fields', () => {
    const order = {
      ...anOrder({ state: 'refunded' }),
      amount: money,
      refunded: money,
      cards: [
        {
          cardId: 'crd_1',
          last4: '1001',
          refunded: true,
          issuerStateAtReveal: 'active',
          balanceAtReveal: { ...money, ...leak },
          ...leak,
        },
      ],
      paidAt: T0,
      paymentRef: 'pay-1',
      revealedAt: T0,
      revealKeyHash: 'key-hash',
      disputeDeadline: T0,
      releasedAt: T0,
      closedAt: T0,
      refundReason: 'seller_suspended',
      openReports: 1,
      refundsDue: [
        { paymentRef: 'pay-2', amount: money, reason: 'duplicate_payment', recordedAt: T0, ...leak },
      ],
      ...leak,
    } as Order;
    expect(keyPaths(orderView(order))).toEqual(
      [
        'orderId',
        'listingId',
        'sellerId',
        'buyerId',
        'state',
        'quantity',
        ...moneyKeys('amount'),
        ...moneyKeys('refunded'),
        'cards',
        'cards[].cardId',
        'cards[].last4',
        'cards[].refunded',
        'cards[].issuerStateAtReveal',
        ...moneyKeys('cards[].balanceAtReveal'),
        'createdAt',
        'expiresAt',
        'paidAt',
        'paymentRef',
        'revealedAt',
        'disputeDeadline',
        'releasedAt',
        'closedAt',
        'refundReason',
        'openReports',
        'buyerMessage',
        'sellerMessage',
        'refundDue',
        'refundDue[].paymentRef',
        ...moneyKeys('refundDue[].amount'),
        'refundDue[].reason',
        'refundDue[].recordedAt',
      ].sort(),
    );
  });
});

describe('listingView', () => {
  it('publishes exactly the documented listing fields', () => {
    const listing = {
      tenantId: 'tnt_1',
      listingId: 'lst_1',
      sellerId: 's',
      brand: 'demo-gift',
      faceValue: money,
      price: money,
      title: 't',
      createdAt: T0,
      ...leak,
    } as Listing;
    const stock = {
      pending_validation: 0,
      available: 1,
      reserved: 0,
      sold: 0,
      refunded: 0,
      withdrawn: 0,
      void: 0,
    };
    expect(keyPaths(listingView(listing, stock))).toEqual(
      [
        'listingId',
        'sellerId',
        'brand',
        ...moneyKeys('faceValue'),
        ...moneyKeys('price'),
        'title',
        'createdAt',
        'stock',
        ...Object.keys(stock).map((s) => `stock.${s}`),
      ].sort(),
    );
  });
});

describe('reportView', () => {
  it('publishes exactly the documented report fields', () => {
    const report = {
      tenantId: 'tnt_1',
      reportId: 'rpt_1',
      orderId: 'ord_1',
      cardId: 'crd_1',
      buyerId: 'b',
      reason: 'already_redeemed',
      decision: 'refunded',
      status: 'closed',
      escalation: { reason: 'race_window', deadline: T0, nextCheckAt: T0, attempts: 1, ...leak },
      settlement: { outcome: 'refund', by: 'agent-1', note: 'n', at: T0, ...leak },
      evidence: {
        issuerState: 'redeemed',
        redeemedAt: T0,
        revealedAt: T0,
        checkedAt: T0,
        rationale: 'r',
        ...leak,
      },
      refund: money,
      sellerPenalty: money,
      createdAt: T0,
      ...leak,
    } as Report;
    expect(keyPaths(reportView(report))).toEqual(
      [
        'reportId',
        'orderId',
        'cardId',
        'buyerId',
        'reason',
        'decision',
        'status',
        'escalation',
        ...['reason', 'deadline', 'nextCheckAt', 'attempts'].map((k) => `escalation.${k}`),
        'settlement',
        ...['outcome', 'by', 'note', 'at'].map((k) => `settlement.${k}`),
        'evidence',
        ...['issuerState', 'redeemedAt', 'revealedAt', 'checkedAt', 'rationale'].map((k) => `evidence.${k}`),
        ...moneyKeys('refund'),
        ...moneyKeys('sellerPenalty'),
        'createdAt',
      ].sort(),
    );
  });
});

describe('eventsView', () => {
  it('publishes exactly the documented event fields, and data as written', () => {
    const event = {
      eventId: 'evt_1',
      orderId: 'ord_1',
      type: 'payment.received',
      actor: 'marketplace',
      from: 'a',
      to: 'b',
      at: T0,
      data: { paymentRef: 'pay-1' },
      ...leak,
    } as OrderEvent;
    expect(keyPaths(eventsView('ord_1', { items: [event], nextCursor: 'evt_1' }))).toEqual(
      [
        'orderId',
        'events',
        'nextCursor',
        ...['eventId', 'type', 'actor', 'from', 'to', 'at', 'data', 'data.paymentRef'].map(
          (k) => `events[].${k}`,
        ),
      ].sort(),
    );
  });
});

describe('the other views', () => {
  it('publish exactly their documented fields', () => {
    expect(keyPaths(cardView({ ...aCard({ orderId: 'ord_1' }), ...leak }))).toEqual(
      ['cardId', 'listingId', 'state', 'last4', 'updatedAt'].sort(),
    );
    const result = {
      index: 0,
      outcome: 'pending',
      cardId: 'crd_1',
      last4: '1234',
      reason: 'issuer_unavailable',
      ...leak,
    };
    expect(keyPaths(depositView([result as DepositResult]))).toEqual(
      ['results', ...['index', 'outcome', 'cardId', 'last4', 'reason'].map((k) => `results[].${k}`)].sort(),
    );
    const revelation = {
      orderId: 'ord_1',
      revealedAt: T0,
      cards: [{ cardId: 'crd_1', code: 'C', pin: '1', ...leak }],
      ...leak,
    };
    expect(keyPaths(revelationView(revelation as Revelation))).toEqual(
      ['orderId', 'revealedAt', 'cards', 'cards[].cardId', 'cards[].code', 'cards[].pin'].sort(),
    );
    const seller = {
      sellerId: 's',
      status: 'suspended',
      strikes: 1,
      strikesTotal: 2,
      suspendedAt: T0,
      payoutsHeld: true,
      unprovenRefunds: 1,
      strikeTimes: [T0],
      balance: { EUR: { held: 1, available: 2, ...leak } },
      penalties: [{ penaltyId: 'p', orderId: 'o', reportId: 'r', cardId: 'c', fine: money, at: T0, ...leak }],
      deposits: {
        locked: true,
        lockedUntil: T0,
        operatorUnlockRequired: false,
        rejectedLastHour: 20,
        budget: 20,
        ...leak,
      },
      ...leak,
    };
    expect(keyPaths(sellerView(seller as unknown as SellerStandingView))).toEqual(
      [
        'sellerId',
        'status',
        'strikes',
        'strikesTotal',
        'suspendedAt',
        'payoutsHeld',
        'unprovenRefunds',
        'balance',
        'balance.EUR',
        'balance.EUR.held',
        'balance.EUR.available',
        'penalties',
        ...['penaltyId', 'orderId', 'reportId', 'foundBy', 'cardId', 'at'].map((k) => `penalties[].${k}`),
        ...moneyKeys('penalties[].fine'),
        'deposits',
        ...['locked', 'lockedUntil', 'operatorUnlockRequired', 'rejectedLastHour', 'budget'].map(
          (k) => `deposits.${k}`,
        ),
      ].sort(),
    );
    const buyer = {
      buyerId: 'b',
      reportsTotal: 3,
      upheld: 1,
      rejected: 1,
      escalated: 1,
      unproven: 1,
      creditPoor: false,
    };
    const inside = { rejectionTimes: [T0], unprovenTimes: [T0], ...leak };
    expect(keyPaths(buyerView({ ...buyer, ...inside } as BuyerCreditView))).toEqual(
      Object.keys(buyer).sort(),
    );
  });
});
