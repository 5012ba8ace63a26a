/**
 * The money invariant of issue 7: for each seller and currency,
 * held + available + refunds paid from the seller + penalties == payments applied to the seller's orders.
 * A payment kept as a refund due was never applied, so it counts on neither side.
 */

export type Money = { amount: number; currency: string };

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
