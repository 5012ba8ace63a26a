import type { DepositBudget } from '../domain/deposit-budget.js';
import type { SellerEvent } from '../domain/seller-standing.js';

/** A seller's budget of rejected codes (domain/deposit-budget.ts): one item per seller and tenant. */
export interface DepositBudgetStore {
  get(tenantId: string, sellerId: string): Promise<DepositBudget | undefined>;
  /**
   * Takes slots (`holds`: id -> when) and drops the ones that left the hour, if the budget is still
   * at `version` (0: no item yet). False on a lost race: read again and decide again.
   */
  take(input: {
    tenantId: string;
    sellerId: string;
    version: number;
    holds: Readonly<Record<string, string>>;
    drop: { held: readonly string[]; rejected: readonly string[] };
  }): Promise<boolean>;
  /** Gives slots back: their checks did not end in a rejection. */
  release(tenantId: string, sellerId: string, holdIds: readonly string[]): Promise<void>;
  /** Turns holds into counted rejections at `at`; the budget as it is afterwards. */
  reject(tenantId: string, sellerId: string, holdIds: readonly string[], at: string): Promise<DepositBudget>;
  /** Writes a lock with its `seller.deposits_locked` event, unless a lock is already in force; false then. */
  lock(input: {
    tenantId: string;
    sellerId: string;
    lockedUntil: string;
    lockTimes: readonly string[];
    operator: boolean;
    event: SellerEvent;
  }): Promise<boolean>;
  /** Lifts a lock and starts the count afresh, with its event; false if the budget changed since `version` was read. */
  unlock(tenantId: string, event: SellerEvent, version: number): Promise<boolean>;
}
