import type { BuyerCredit } from '../domain/buyer-credit.js';
import { BUDGET_WINDOW_SECONDS, lockOf } from '../domain/deposit-budget.js';
import { activeStrikes, isCreditPoor } from '../domain/penalty-policy.js';
import type { Penalty, SellerEvent, SellerStanding } from '../domain/seller-standing.js';
import type { Page, PageRequest } from '../ports/page.js';
import type { CoreDeps } from './vault-deps.js';

export interface SellerStandingView extends Omit<SellerStanding, 'strikeTimes'> {
  readonly strikes: number;
  readonly strikesTotal: number;
  readonly payoutsHeld: boolean;
  readonly penalties: readonly Penalty[];
  readonly deposits: DepositStanding;
}

/** The seller's budget of rejected codes as the marketplace sees it (issue 19). */
export interface DepositStanding {
  readonly locked: boolean;
  /** The end of a time lock; absent under an operator lock. */
  readonly lockedUntil?: string;
  readonly operatorUnlockRequired: boolean;
  readonly rejectedLastHour: number;
  readonly budget: number;
}

export interface BuyerCreditView extends Omit<BuyerCredit, 'rejectionTimes' | 'unprovenTimes'> {
  readonly creditPoor: boolean;
}

/** Seller standing and buyer credit, as marketplaces show them. An unknown party has a clean record. */
export class StandingService {
  constructor(private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'settings'>) {}

  async seller(tenantId: string, sellerId: string): Promise<SellerStandingView> {
    const { parties } = this.deps.stores;
    const [seller, penalties, deposits] = await Promise.all([
      parties.getSeller(tenantId, sellerId),
      parties.listPenalties(tenantId, sellerId),
      this.deposits(tenantId, sellerId),
    ]);
    const unseen: SellerStanding = {
      sellerId,
      status: 'active',
      strikeTimes: [],
      balance: {},
      unprovenRefunds: 0,
      usedAfterReveal: [],
    };
    const { strikeTimes, ...rest } = seller ?? unseen;
    return {
      ...rest,
      strikes: activeStrikes(strikeTimes, this.deps.clock.now(), rest.reinstatedAt),
      strikesTotal: strikeTimes.length,
      payoutsHeld: rest.status === 'suspended',
      penalties,
      deposits,
    };
  }

  /** Whether the seller's deposits are locked (the deposit page asks too), and the hour's count. */
  async deposits(tenantId: string, sellerId: string): Promise<DepositStanding> {
    const budget = this.deps.settings.depositRejectBudget;
    const stored = await this.deps.stores.depositBudgets.get(tenantId, sellerId);
    const now = this.deps.clock.now();
    const lock = stored && lockOf(stored, now, budget);
    const since = now.getTime() - BUDGET_WINDOW_SECONDS * 1000;
    const rejectedLastHour = Object.values(stored?.rejected ?? {}).filter(
      (at) => Date.parse(at) > since,
    ).length;
    return {
      locked: lock !== undefined,
      ...(lock?.lockedUntil !== undefined ? { lockedUntil: lock.lockedUntil } : {}),
      operatorUnlockRequired: lock?.operatorUnlockRequired ?? false,
      rejectedLastHour,
      budget,
    };
  }

  /** A page of the seller's own trail; a seller the vault has never seen has none. */
  async sellerEvents(tenantId: string, sellerId: string, page: PageRequest): Promise<Page<SellerEvent>> {
    return this.deps.stores.parties.pageSellerEvents(tenantId, sellerId, page);
  }

  async buyer(tenantId: string, buyerId: string): Promise<BuyerCreditView> {
    const buyer = await this.deps.stores.parties.getBuyer(tenantId, buyerId);
    const {
      rejectionTimes = [],
      unprovenTimes: _kept,
      ...rest
    } = buyer ?? {
      buyerId,
      reportsTotal: 0,
      upheld: 0,
      rejected: 0,
      escalated: 0,
      unproven: 0,
      unprovenTimes: [],
    };
    return { ...rest, creditPoor: isCreditPoor(rejectionTimes, this.deps.clock.now()) };
  }
}
