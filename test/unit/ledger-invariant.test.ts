import { describe, expect, it } from 'vitest';
import { eur } from '../support/builders.js';
import { type LedgerSnapshot, ledgerBreaches, ledgerLines } from '../support/ledger-invariant.js';

/**
 * alice sold three 45 EUR orders: one released (4500 available), one refunded after a report
 * with a 450 fine, one still held; a fourth order was never paid. bob has only a late payment
 * kept as a refund due (not applied), and a USD sale still held.
 */
function aBook(overrides: { aliceAvailable?: number } = {}): LedgerSnapshot {
  return {
    sellers: [
      {
        tenantId: 't1',
        sellerId: 'alice',
        balance: { EUR: { held: 4500, available: overrides.aliceAvailable ?? 4050 } },
        fines: [eur(450)],
      },
      { tenantId: 't1', sellerId: 'bob', balance: { USD: { held: 1000, available: 0 } }, fines: [] },
    ],
    orders: [
      { tenantId: 't1', sellerId: 'alice', amount: eur(4500), paid: true, refunded: eur(0) },
      { tenantId: 't1', sellerId: 'alice', amount: eur(4500), paid: true, refunded: eur(4500) },
      { tenantId: 't1', sellerId: 'alice', amount: eur(4500), paid: true, refunded: eur(0) },
      { tenantId: 't1', sellerId: 'alice', amount: eur(4500), paid: false, refunded: eur(0) },
      { tenantId: 't1', sellerId: 'bob', amount: eur(2000), paid: false, refunded: eur(0) },
      {
        tenantId: 't1',
        sellerId: 'bob',
        amount: { amount: 1000, currency: 'USD' },
        paid: true,
        refunded: eur(0),
      },
    ],
  };
}

describe('ledger invariant helper', () => {
  it('adds up both sides per seller and currency', () => {
    expect(ledgerLines(aBook())).toEqual(
      expect.arrayContaining([
        {
          tenantId: 't1',
          sellerId: 'alice',
          currency: 'EUR',
          held: 4500,
          available: 4050,
          refunds: 4500,
          penalties: 450,
          paidIn: 13_500,
        },
        {
          tenantId: 't1',
          sellerId: 'bob',
          currency: 'USD',
          held: 1000,
          available: 0,
          refunds: 0,
          penalties: 0,
          paidIn: 1000,
        },
      ]),
    );
  });

  it('finds nothing wrong in a whole ledger, including a negative available balance', () => {
    expect(ledgerBreaches(aBook())).toEqual([]);
    const negative: LedgerSnapshot = {
      sellers: [
        {
          tenantId: 't1',
          sellerId: 'carol',
          balance: { EUR: { held: 0, available: -450 } },
          fines: [eur(450)],
        },
      ],
      orders: [{ tenantId: 't1', sellerId: 'carol', amount: eur(4500), paid: true, refunded: eur(4500) }],
    };
    expect(ledgerBreaches(negative)).toEqual([]);
  });

  it('names the seller and currency whose money went missing', () => {
    const breaches = ledgerBreaches(aBook({ aliceAvailable: 4000 }));
    expect(breaches).toEqual([
      expect.objectContaining({ sellerId: 'alice', currency: 'EUR', available: 4000 }),
    ]);
  });

  it('keeps tenants apart: the same seller id in two tenants is two ledgers', () => {
    const book = aBook();
    const other: LedgerSnapshot = {
      sellers: book.sellers,
      orders: [
        ...book.orders,
        { tenantId: 't2', sellerId: 'alice', amount: eur(4500), paid: true, refunded: eur(0) },
      ],
    };
    expect(ledgerBreaches(other)).toEqual([
      expect.objectContaining({ tenantId: 't2', sellerId: 'alice', held: 0, paidIn: 4500 }),
    ]);
  });
});
