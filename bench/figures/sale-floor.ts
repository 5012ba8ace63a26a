import type { SaleUsage } from './prices.js';

/**
 * The least a sale of one card must touch, from docs/design.md "Transactions" (n = 1 card) and
 * "Key layout". Items are under 1 KB: a transactional write is 2 WRU per item (condition checks
 * included), a plain write 1 WRU, an index entry added, removed or rewritten 1 WRU, a strongly
 * consistent read under 4 KB 1 RRU. Reads listed are the ones a step cannot decide without; the
 * API-key lookup is not among them (a cache can answer it).
 */
export interface FloorStep {
  readonly step: string;
  readonly transactionItems: number;
  readonly plainWrites: number;
  /** gsi1 (due) and gsi2 (seller's open orders) entries written as the order changes state. */
  readonly indexWrites: number;
  readonly reads: number;
  readonly why: string;
}

const n = 1;

export const SALE_FLOOR: readonly FloorStep[] = [
  { step: 'listing', transactionItems: 0, plainWrites: 1, indexWrites: 0, reads: 0, why: 'put listing' },
  {
    step: 'deposit',
    transactionItems: 2,
    plainWrites: 0,
    indexWrites: 0,
    reads: 1,
    why: 'card, fingerprint; read listing',
  },
  {
    step: 'order',
    transactionItems: 4 + n,
    plainWrites: 0,
    indexWrites: 2,
    reads: 2,
    why: 'seller check, n cards, order, idempotency, event; enters gsi1+gsi2; read listing, find a card',
  },
  {
    step: 'payment',
    transactionItems: 6 + n,
    plainWrites: 0,
    indexWrites: 2,
    reads: 1,
    why: 'payment, payment ref, order, n cards, seller, ledger, event; leaves gsi1, gsi2 rewritten; read order',
  },
  {
    step: 'reveal',
    transactionItems: 3 + n,
    plainWrites: 0,
    indexWrites: 2,
    reads: 1 + n,
    why: 'order, n cards, seller check, event; leaves gsi2, enters gsi1; read order and its cards',
  },
  {
    step: 'confirm',
    transactionItems: 4,
    plainWrites: 0,
    indexWrites: 1,
    reads: 1,
    why: 'release: order, seller, ledger, event; leaves gsi1; read order',
  },
];

const TRANSACTIONAL_WRU_PER_ITEM = 2;

/** The floor of one sale in capacity units and requests (KMS: seal, fingerprint, open per card). */
export function saleFloor(steps: readonly FloorStep[] = SALE_FLOOR): SaleUsage {
  let writeUnits = 0;
  let readUnits = 0;
  for (const s of steps) {
    writeUnits += s.transactionItems * TRANSACTIONAL_WRU_PER_ITEM + s.plainWrites + s.indexWrites;
    readUnits += s.reads;
  }
  return { readUnits, writeUnits, kmsRequests: 3 * n, apiRequests: steps.length };
}
