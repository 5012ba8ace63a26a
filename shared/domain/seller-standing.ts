import type { Money } from './money.js';

export const sellerStatuses = ['active', 'suspended'] as const;
export type SellerStatus = (typeof sellerStatuses)[number];

export interface Penalty {
  readonly penaltyId: string;
  readonly orderId: string;
  readonly reportId: string;
  readonly cardId: string;
  readonly fine: Money;
  readonly at: string;
}

/** Escrow ledger per currency: `held` until the dispute window closes, then `available`. */
export type SellerBalances = Record<string, { held: number; available: number }>;

export interface SellerStanding {
  readonly sellerId: string;
  readonly status: SellerStatus;
  readonly strikeTimes: readonly string[];
  readonly balance: SellerBalances;
  /** Escalations refunded by the deadline default (no strike): repeated ones stand out. */
  readonly unprovenRefunds: number;
  readonly suspendedAt?: string;
}
