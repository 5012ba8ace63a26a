import type { SuspicionSettings } from './seller-suspicion.js';

/**
 * The vault's timing and policy knobs. They live in the domain, not with the services that take
 * them, so shared/config can give them defaults and parse them without importing any use case.
 */
export const REVALIDATE_MODES = ['best-effort', 'strict', 'off'] as const;

export interface VaultSettings extends SuspicionSettings {
  readonly paymentTimeoutSeconds: number;
  readonly disputeWindowSeconds: number;
  readonly revealRetrySeconds: number;
  readonly raceWindowSeconds: number;
  /** `best-effort`: an unreachable issuer does not block the buyer; `strict`: it does; `off`: no re-check. */
  readonly revalidateBeforeReveal: (typeof REVALIDATE_MODES)[number];
  /** Redemption times this close BEFORE the reveal count as inside the race window (issuer clocks drift, truncate). */
  readonly issuerClockSkewSeconds: number;
  /** First re-ask of the issuer for an escalation it left unanswered; doubles per attempt. */
  readonly escalationRetrySeconds: number;
  /** Cap of that backoff. */
  readonly escalationRetryMaxSeconds: number;
  /** Past this, an open escalation gets its reason's default outcome (`DEADLINE_DEFAULTS`). */
  readonly escalationDeadlineSeconds: number;
  /** A paid order not revealed by paidAt + this is re-checked: released if live, refunded if dead. */
  readonly revealDeadlineSeconds: number;
  /**
   * A found API key is trusted this long without reading its record again: a revoked key keeps
   * working at most this long in each running process. 0: every request reads the key.
   */
  readonly apiKeyCacheSeconds: number;
  /** At most this many API keys (and, apart, brands) are kept per process (the oldest go first). */
  readonly apiKeyCacheEntries: number;
  /** A found brand is used this long without reading it again: an issuer URL change made elsewhere takes at most this long. */
  readonly brandCacheSeconds: number;
  /** Each tenant's token bucket (every `/v1` request and hosted-page POST): refill per second... */
  readonly tenantRatePerSecond: number;
  /** ...and size; an operator may set both per tenant (`npm run tenant -- rate-limit`). */
  readonly tenantBurst: number;
  /** Each hosted link's own bucket (its POSTs, besides the tenant's): refill per second and size. */
  readonly linkRatePerSecond: number;
  readonly linkBurst: number;
  /** Rejected codes (`invalid_code`, `already_redeemed`) a seller may deposit per rolling hour (deposit-budget.ts). */
  readonly depositRejectBudget: number;
  /**
   * How many times a hosted reveal link shows the code again after its reveal (a lost answer,
   * a press again), each a KMS decrypt and an `order.redelivered` line; then the link says so.
   */
  readonly linkRedeliveries: number;
  /**
   * Days a reveal's buyer context (IP address, user agent, session, device) is kept as evidence,
   * then erased; 540 outlasts the longest card-network dispute window (Visa and Mastercard: 540
   * days from the transaction).
   */
  readonly evidenceRetentionDays: number;
}

export const defaultSettings: VaultSettings = {
  paymentTimeoutSeconds: 900,
  disputeWindowSeconds: 86_400,
  // The lifetime Stripe gives its idempotency keys: a lost reveal response is re-delivered a day long.
  revealRetrySeconds: 86_400,
  raceWindowSeconds: 120,
  revalidateBeforeReveal: 'best-effort',
  issuerClockSkewSeconds: 30,
  escalationRetrySeconds: 30,
  escalationRetryMaxSeconds: 3_600,
  escalationDeadlineSeconds: 7 * 86_400,
  revealDeadlineSeconds: 30 * 86_400,
  apiKeyCacheSeconds: 30,
  apiKeyCacheEntries: 1_000,
  brandCacheSeconds: 30,
  tenantRatePerSecond: 50,
  tenantBurst: 100,
  // A person presses a page's buttons a few times a minute: 5 at once, then one a second.
  linkRatePerSecond: 1,
  linkBurst: 5,
  linkRedeliveries: 5,
  evidenceRetentionDays: 540,
  sellerSuspicionDays: 30,
  sellerSuspicionBuyers: 2,
  depositRejectBudget: 20,
};
