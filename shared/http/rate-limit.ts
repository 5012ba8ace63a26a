import type { Context, MiddlewareHandler } from 'hono';
import { type BucketState, type RatePolicy, tightest } from '../domain/rate-limit.js';
import type { RateLimitService } from '../services/rate-limit-service.js';
import { type AppEnv, tenantOf } from './env.js';
import { problemResponse } from './problem.js';

/** What the HTTP layer asks of the limiter. */
export type RateLimits = Pick<RateLimitService, 'admitTenant' | 'admitLink'>;

/** A token bucket as a quota policy: `burst` requests, refilled over burst / rate seconds. */
const windowSeconds = (policy: RatePolicy) => Math.max(1, Math.ceil(policy.burst / policy.ratePerSecond));

/**
 * The RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10 (HTTP
 * structured-field lists, one item per bucket the request drew on): `q` the bucket's size, `w`
 * the seconds it takes to refill, `r` the tokens left, `t` the seconds until it is full.
 */
export function setRateLimitHeaders(c: Context, states: readonly BucketState[]) {
  c.header(
    'RateLimit-Policy',
    states.map((s) => `"${s.kind}";q=${s.policy.burst};w=${windowSeconds(s.policy)}`).join(', '),
  );
  c.header('RateLimit', states.map((s) => `"${s.kind}";r=${s.remaining};t=${s.resetSeconds}`).join(', '));
}

/** The refused bucket, if any: its Retry-After is the answer's. */
export function refusal(states: readonly BucketState[]): BucketState | undefined {
  const state = tightest(states);
  return state && !state.admitted ? state : undefined;
}

/**
 * Every `/v1` request, once its API key has matched: one token of the tenant's bucket, or
 * `429 rate-limited`. An unauthenticated request never gets here, so a wrong key spends no
 * tenant's tokens. If the buckets cannot be reached (DynamoDB down) the request fails closed with
 * the `503 dependency-unavailable` every route answers then: each of them needs the table anyway,
 * and failing open would let a deposit reach the issuer, unmetered, while the vault cannot count.
 */
export function tenantRateLimit(limits: RateLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const states = await limits.admitTenant(tenantOf(c));
    const refused = refusal(states);
    if (refused) {
      setRateLimitHeaders(c, states);
      c.header('Retry-After', String(refused.retryAfterSeconds));
      return problemResponse(
        c,
        'rate-limited',
        `this tenant sent more than ${refused.policy.burst} requests at once or ${refused.policy.ratePerSecond} a second; retry after ${refused.retryAfterSeconds} s`,
      );
    }
    await next();
    // After the route, so an answer the route built from scratch carries them too.
    setRateLimitHeaders(c, states);
  };
}
