import { describe, expect, it } from 'vitest';
import { PROBLEM_BASE } from '../../shared/http/problem-types.js';
import { runAdminCli } from '../support/admin-cli.js';
import { aListing, aTenantOn, unique } from '../support/scenario.js';
import { type HttpResult, type TestStack, useTestStack } from '../support/test-stack.js';

/**
 * Issue 19 item 2: a token bucket per tenant on every `/v1` route, set per tenant by the operator
 * CLI. The stack's clock is frozen during each burst, so no token comes back in between and the
 * counts are exact: a bucket of 5 admits 5.
 */
const stack = useTestStack();

async function limitedTenant(rate: number, burst: number) {
  const tenant = await aTenantOn(stack.current);
  const cli = await runAdminCli(
    { endpoint: stack.current.dynamodbEndpoint, tableName: stack.current.tableName },
    'tenant',
    'rate-limit',
    tenant.tenantId,
    '--rate',
    String(rate),
    '--burst',
    String(burst),
  );
  expect(cli.status, cli.stderr).toBe(0);
  return tenant;
}

/** `n` requests at once. */
const burst = (n: number, send: () => Promise<HttpResult>) => Promise.all(Array.from({ length: n }, send));

function frozen<T>(s: TestStack, work: () => Promise<T>): Promise<T> {
  s.clock.freeze();
  return work().finally(() => s.clock.resume());
}

describe('rate limit per tenant (issue 19)', () => {
  it('a burst over one tenant’s limit gets 429 with the headers, while a second tenant’s requests in the same burst all succeed', async () => {
    const a = await limitedTenant(1, 5);
    const b = await limitedTenant(1, 5);
    // Set up before the burst, then the buckets start full again (the clock moves on).
    const [listingA, listingB] = await Promise.all([aListing(a.as), aListing(b.as)]);
    stack.current.clock.advance(60);
    const [fromA, fromB] = await frozen(stack.current, () =>
      Promise.all([
        burst(30, () => a.as.get(`/v1/listings/${listingA.listingId}`)),
        burst(5, () => b.as.get(`/v1/listings/${listingB.listingId}`)),
      ]),
    );
    expect(fromA.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = fromA.filter((r) => r.status === 429);
    expect(refused).toHaveLength(25);
    for (const r of refused) {
      expect(r.body.type).toBe(`${PROBLEM_BASE}rate-limited`);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      // One token a second: the next one is back in a second.
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('ratelimit-policy')).toBe('"tenant";q=5;w=5');
      expect(r.headers.get('ratelimit')).toBe('"tenant";r=0;t=5');
    }
    expect(fromB.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of [...fromA, ...fromB]) expect(r.headers.get('ratelimit-policy')).toBe('"tenant";q=5;w=5');
    const left = fromB.map((r) => r.headers.get('ratelimit')).sort();
    expect(left).toEqual([0, 1, 2, 3, 4].map((n) => `"tenant";r=${n};t=${5 - n}`));
  });

  it('gives a token back per 1/rate seconds, and only that many', async () => {
    const a = await limitedTenant(2, 3);
    const { listingId } = await aListing(a.as);
    stack.current.clock.advance(60);
    const get = () => a.as.get(`/v1/listings/${listingId}`);
    await frozen(stack.current, async () => {
      expect((await burst(4, get)).map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
      stack.current.clock.advance(1);
      // Two tokens a second: two more, not three.
      expect((await burst(3, get)).map((r) => r.status).sort()).toEqual([200, 200, 429]);
    });
  });

  it('a wrong API key spends no tenant’s tokens, and /health and /openapi.json are not limited', async () => {
    const { tenant, apiKey } = await stack.current.vault.tenants.create(unique('market'));
    const cli = await runAdminCli(
      { endpoint: stack.current.dynamodbEndpoint, tableName: stack.current.tableName },
      ...['tenant', 'rate-limit', tenant.tenantId, '--rate', '1', '--burst', '3'],
    );
    expect(cli.status, cli.stderr).toBe(0);
    const as = (key: string) =>
      stack.current.request('GET', `/v1/listings/lst_${'0'.repeat(26)}`, { apiKey: key });
    // A's key id with another secret: it names A, and authenticates as nobody.
    const guessed = `${apiKey.slice(0, 'cvk_0123456789abcdef_'.length)}${'x'.repeat(43)}`;
    stack.current.clock.advance(60);
    const [wrong, right] = await frozen(stack.current, async () => {
      const wrong = await burst(10, () => as(guessed));
      const right = await burst(4, () => as(apiKey));
      return [wrong, right];
    });
    for (const r of wrong) {
      expect(r.status).toBe(401);
      expect(r.headers.get('ratelimit')).toBeNull();
    }
    // A's 3 tokens are all there (a 404 is an answer of a limited route like any other).
    expect(right.map((r) => r.status).sort()).toEqual([404, 404, 404, 429]);
    const [health, openapi] = await Promise.all([
      stack.current.request('GET', '/health', { apiKey: null }),
      stack.current.request('GET', '/openapi.json', { apiKey: null }),
    ]);
    for (const r of [health, openapi]) {
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-policy')).toBeNull();
    }
  });
});
