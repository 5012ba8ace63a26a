import { expect } from 'vitest';
import { scanTable } from './fraud-helpers.js';
import type { TestStack } from './test-stack.js';

/**
 * The money invariant of issue 7: for each seller and currency,
 * held + available + refunds paid from the seller + penalties == payments applied to the seller's orders.
 * A payment kept as a refund due was never applied, so it counts on neither side.
 */

type Money = { amount: number; currency: string };

export interface LedgerSnapshot {
  readonly sellers: ReadonlyArray<{
    tenantId: string;
    sellerId: string;
    balance: Record<string, { held: number; available: number }>;
    fines: readonly Money[];
  }>;
  /** `paid`: a payment was applied (the order has a `paidAt`); `refunded`: the sum given back to the buyer. */
  readonly orders: ReadonlyArray<{
    tenantId: string;
    sellerId: string;
    amount: Money;
    paid: boolean;
    refunded: Money;
  }>;
}

export interface LedgerLine {
  readonly tenantId: string;
  readonly sellerId: string;
  readonly currency: string;
  readonly held: number;
  readonly available: number;
  readonly refunds: number;
  readonly penalties: number;
  readonly paidIn: number;
}

/** Both sides of the invariant per seller and currency. */
export function ledgerLines(snapshot: LedgerSnapshot): LedgerLine[] {
  const lines = new Map<string, { -readonly [K in keyof LedgerLine]: LedgerLine[K] }>();
  const line = (tenantId: string, sellerId: string, currency: string) => {
    const id = JSON.stringify([tenantId, sellerId, currency]);
    let found = lines.get(id);
    if (!found) {
      found = { tenantId, sellerId, currency, held: 0, available: 0, refunds: 0, penalties: 0, paidIn: 0 };
      lines.set(id, found);
    }
    return found;
  };
  for (const s of snapshot.sellers) {
    for (const [currency, b] of Object.entries(s.balance)) {
      const l = line(s.tenantId, s.sellerId, currency);
      l.held += b.held;
      l.available += b.available;
    }
    for (const fine of s.fines) line(s.tenantId, s.sellerId, fine.currency).penalties += fine.amount;
  }
  for (const o of snapshot.orders) {
    if (o.paid) line(o.tenantId, o.sellerId, o.amount.currency).paidIn += o.amount.amount;
    if (o.refunded.amount !== 0)
      line(o.tenantId, o.sellerId, o.refunded.currency).refunds += o.refunded.amount;
  }
  return [...lines.values()];
}

/** The lines where the money does not add up; empty when the ledger is whole. */
export function ledgerBreaches(snapshot: LedgerSnapshot): LedgerLine[] {
  return ledgerLines(snapshot).filter((l) => l.held + l.available + l.refunds + l.penalties !== l.paidIn);
}

/**
 * Orders come from a table scan (no route lists a seller's orders); balances and fines from
 * the standing service behind `GET /v1/sellers/{id}`, which answers for every tenant.
 */
export async function ledgerSnapshot(stack: TestStack): Promise<LedgerSnapshot> {
  const items = await scanTable(stack);
  const orders = items
    .filter((i) => i.entity === 'Order')
    .map((i) => ({
      tenantId: String(i.tenantId),
      sellerId: String(i.sellerId),
      amount: i.amount as Money,
      paid: typeof i.paidAt === 'string',
      refunded: i.refunded as Money,
    }));
  const parties = new Map<string, { tenantId: string; sellerId: string }>();
  for (const o of orders) parties.set(JSON.stringify([o.tenantId, o.sellerId]), o);
  const sellers = await Promise.all(
    [...parties.values()].map(async ({ tenantId, sellerId }) => {
      const standing = await stack.vault.standing.seller(tenantId, sellerId);
      return { tenantId, sellerId, balance: standing.balance, fines: standing.penalties.map((p) => p.fine) };
    }),
  );
  return { sellers, orders };
}

/** Asserts the invariant for every seller on the stack (call it in `afterEach`). */
export async function expectLedgerInvariant(stack: TestStack): Promise<void> {
  expect(
    ledgerBreaches(await ledgerSnapshot(stack)),
    'held + available + refunds + penalties == paid in',
  ).toEqual([]);
}
