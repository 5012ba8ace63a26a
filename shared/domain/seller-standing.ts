import type { Money } from './money.js';

export const sellerStatuses = ['active', 'suspended'] as const;
export type SellerStatus = (typeof sellerStatuses)[number];

export interface Penalty {
  readonly penaltyId: string;
  /** The `seller.penalised` webhook's id (absent on penalties written before webhooks). */
  readonly eventId?: string;
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
  /** Set by the strike that suspended the seller until the cascade has closed every open order. */
  readonly cascadePending?: boolean;
  /** The last reinstatement: strikes before it no longer count toward the next suspension. */
  readonly reinstatedAt?: string;
}

export const sellerEventTypes = ['seller.suspended', 'seller.reinstated'] as const;

/** The seller's own trail: suspensions and reinstatements (an order's trail has its own events). */
export interface SellerEvent {
  readonly eventId: string;
  readonly sellerId: string;
  readonly type: (typeof sellerEventTypes)[number];
  /** `vault` for a suspension; the operator's id for a reinstatement. */
  readonly by: string;
  readonly at: string;
  readonly data?: Record<string, unknown>;
}
