import { describe, expect, it } from 'vitest';
import { admitLimitMs, bucketState, intervalMs, tightest } from '../../shared/domain/rate-limit.js';

const policy = { ratePerSecond: 2, burst: 3 };
const now = 1_000_000;

describe('rate limit (GCRA)', () => {
  it('a bucket of 3 at 2/s admits while tat is at most two intervals ahead', () => {
    expect(intervalMs(policy)).toBe(500);
    expect(admitLimitMs(policy, now)).toBe(now + 1000);
  });

  it('counts the tokens left and the seconds until full after an admitted request', () => {
    // First request on a full bucket: tat = now + 500, two tokens left, full again in 0.5 s.
    expect(bucketState('tenant', policy, now + 500, now, true)).toMatchObject({
      remaining: 2,
      resetSeconds: 1,
      retryAfterSeconds: 0,
    });
    // Third: tat = now + 1500, none left.
    expect(bucketState('tenant', policy, now + 1500, now, true).remaining).toBe(0);
  });

  it('a refusal says when a token is back, in whole seconds, at least one', () => {
    // tat = now + 1500: admitted again once tat - (burst - 1) x interval <= now, i.e. in 0.5 s.
    expect(bucketState('tenant', policy, now + 1500, now, false).retryAfterSeconds).toBe(1);
    const slow = { ratePerSecond: 0.1, burst: 1 };
    expect(bucketState('link', slow, now + 10_000, now, false).retryAfterSeconds).toBe(10);
    expect(bucketState('link', slow, now + 10_001, now, false).retryAfterSeconds).toBe(11);
  });

  it('the tightest bucket is a refused one, else the one with fewest tokens', () => {
    const open = bucketState('tenant', policy, now + 500, now, true);
    const shut = bucketState('link', policy, now + 1500, now, false);
    expect(tightest([open, shut])?.kind).toBe('link');
    expect(tightest([open])?.kind).toBe('tenant');
  });
});
