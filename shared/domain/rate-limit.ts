/**
 * Token buckets, kept as GCRA (the generic cell rate algorithm): one number per bucket, the
 * theoretical arrival time `tat` of the next request if the bucket were drained at its rate. It
 * admits exactly what a token bucket of `burst` tokens refilled at `ratePerSecond` admits (at most
 * burst + rate x elapsed over any stretch of time), and one number can be moved by one conditional
 * write: the adapter never reads before it writes.
 */
export interface RatePolicy {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** The buckets a request draws on: its tenant's, and a hosted link's own for the link's POSTs. */
export const RATE_BUCKET_KINDS = ['tenant', 'link'] as const;
export type RateBucketKind = (typeof RATE_BUCKET_KINDS)[number];

export type RateBucket =
  | { readonly kind: 'tenant'; readonly tenantId: string }
  | { readonly kind: 'link'; readonly tenantId: string; readonly linkId: string };

/** One bucket's answer, as the RateLimit header fields publish it. */
export interface BucketState {
  readonly kind: RateBucketKind;
  readonly policy: RatePolicy;
  readonly admitted: boolean;
  /** Whole tokens left after this request. */
  readonly remaining: number;
  /** Seconds until the bucket is full again (the `t` of `RateLimit`). */
  readonly resetSeconds: number;
  /** Seconds until one token is back, when refused (`Retry-After`); 0 when admitted. */
  readonly retryAfterSeconds: number;
}

/** Milliseconds between two tokens. */
export const intervalMs = (policy: RatePolicy) => 1000 / policy.ratePerSecond;

/**
 * The latest `tat` that still admits a request at `nowMs`: a full bucket holds `burst` tokens, so
 * the bucket may run up to burst - 1 intervals ahead of now before this request's own interval.
 */
export const admitLimitMs = (policy: RatePolicy, nowMs: number) =>
  nowMs + (policy.burst - 1) * intervalMs(policy);

/** The state a bucket whose `tat` is `tatMs` shows at `nowMs` after admitting (or refusing) a request. */
export function bucketState(
  kind: RateBucketKind,
  policy: RatePolicy,
  tatMs: number,
  nowMs: number,
  admitted: boolean,
): BucketState {
  const interval = intervalMs(policy);
  const ahead = Math.max(0, tatMs - nowMs);
  const remaining = Math.max(0, Math.floor((policy.burst * interval - ahead) / interval + 1e-9));
  const retryMs = admitted ? 0 : Math.max(0, tatMs - admitLimitMs(policy, nowMs));
  return {
    kind,
    policy,
    admitted,
    remaining,
    resetSeconds: Math.ceil(ahead / 1000),
    // At least a second: Retry-After counts whole seconds, and 0 would invite an immediate retry.
    retryAfterSeconds: admitted ? 0 : Math.max(1, Math.ceil(retryMs / 1000)),
  };
}

/** The tightest of several buckets: the one a client must pace itself to (refused first, then fewest left). */
export function tightest(states: readonly BucketState[]): BucketState | undefined {
  return [...states].sort((a, b) => Number(a.admitted) - Number(b.admitted) || a.remaining - b.remaining)[0];
}
