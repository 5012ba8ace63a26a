import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpIssuer, type HttpIssuerOptions } from '../../shared/adapters/issuer/http-issuer.js';
import { retryAfterMs } from '../../shared/adapters/issuer/retry-after.js';
import { DependencyProtocolError, DependencyUnavailableError } from '../../shared/domain/errors.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';

/** What the fake issuer saw of one request. */
interface Seen {
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
  readonly at: number;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string; holdMs?: number };

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A fake issuer on loopback: plays `answers` in order (then active), records every request. */
async function fakeIssuer(answers: Answer[] = []) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw), at: Date.now() });
      const next = answers.shift() ?? { status: 200, body: '{"state":"active"}' };
      setTimeout(() => {
        inFlight -= 1;
        res
          .writeHead(next.status, { 'content-type': 'application/json', ...next.headers })
          .end(next.body ?? '');
      }, next.holdMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { brand: demoBrand(DEMO_GIFT_BRAND, url), seen, maxInFlight: () => maxInFlight };
}

const code = { code: 'DEMO-AAAA-BBBB-CCCC' };

function anIssuer(options: Partial<HttpIssuerOptions> = {}) {
  const sent = { fetches: 0, sleeps: [] as number[] };
  const issuer = new HttpIssuer({
    mode: 'local',
    fetch: (input, init) => {
      sent.fetches += 1;
      return fetch(input, init);
    },
    sleep: async (ms) => void sent.sleeps.push(ms),
    random: () => 0,
    ...options,
  });
  return { issuer, sent };
}

async function failure(attempt: Promise<unknown>): Promise<DependencyUnavailableError> {
  const error = await attempt.then(
    () => expect.fail('expected the check to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  return error as DependencyUnavailableError;
}

describe('HttpIssuer: TLS always (issue 21, item 1)', () => {
  it('outside local mode sends nothing to an http or loopback issuer, as a misbehaving issuer', async () => {
    const fake = await fakeIssuer();
    const { issuer, sent } = anIssuer({ mode: 'aws' });
    for (const issuerUrl of [fake.brand.issuerUrl, 'https://127.0.0.1:9', 'http://issuer.example']) {
      const error = await failure(issuer.check({ ...fake.brand, issuerUrl }, code, { purpose: 'deposit' }));
      expect(error).toBeInstanceOf(DependencyProtocolError);
      expect(error.message).toMatch(/issuer URL refused/);
    }
    expect(sent.fetches).toBe(0);
    expect(fake.seen).toHaveLength(0);
  });

  it('in local mode reaches loopback over http, and never a URL carrying credentials', async () => {
    const fake = await fakeIssuer();
    const { issuer } = anIssuer();
    expect(await issuer.check(fake.brand, code, { purpose: 'deposit' })).toEqual({ state: 'active' });
    const withCreds = { ...fake.brand, issuerUrl: fake.brand.issuerUrl.replace('//', '//ops:hunter2@') };
    const error = await failure(issuer.check(withCreds, code, { purpose: 'deposit' }));
    expect(error.message).toMatch(/credentials/);
    expect(`${error.message} ${String(error.cause)}`).not.toContain('hunter2');
    expect(fake.seen).toHaveLength(1);
  });
});

describe('HttpIssuer: every check identifiable (issue 21, item 2)', () => {
  it('sends a unique request id and the purpose with each check, the same id on its retries', async () => {
    const fake = await fakeIssuer([{ status: 500 }]);
    const { issuer } = anIssuer();
    for (const purpose of ['deposit', 'reveal', 'report', 'recheck'] as const) {
      await issuer.check(fake.brand, code, { purpose });
    }
    expect(fake.seen.map((s) => s.body.purpose)).toEqual([
      'deposit',
      'deposit',
      'reveal',
      'report',
      'recheck',
    ]);
    const ids = fake.seen.map((s) => s.body.requestId);
    for (const [i, s] of fake.seen.entries()) {
      expect(s.body.requestId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(s.headers['card-vault-request-id']).toBe(ids[i]);
    }
    // The 500 was retried under the first check's id; every check after has its own.
    expect(ids[1]).toBe(ids[0]);
    expect(new Set(ids).size).toBe(4);
  });

  it("waits out a 429's Retry-After in seconds, and a 503's as an HTTP date, before retrying", async () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const fake = await fakeIssuer([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503, headers: { 'retry-after': new Date(now + 2000).toUTCString() } },
    ]);
    const { issuer, sent } = anIssuer({ clock: { now: () => new Date(now) } });
    expect(await issuer.check(fake.brand, code, { purpose: 'deposit' })).toEqual({ state: 'active' });
    expect(fake.seen).toHaveLength(3);
    // Backoff alone would wait 50 and 100 ms (random 0): the issuer's times win.
    expect(sent.sleeps).toEqual([1000, 2000]);
  });

  it('fails at once on a Retry-After longer than it may wait, and asks that issuer nothing until then', async () => {
    let now = Date.parse('2026-12-07T12:00:00Z');
    const fake = await fakeIssuer([{ status: 429, headers: { 'retry-after': '60' } }]);
    const { issuer, sent } = anIssuer({ clock: { now: () => new Date(now) } });
    const error = await failure(issuer.check(fake.brand, code, { purpose: 'deposit' }));
    expect(error).not.toBeInstanceOf(DependencyProtocolError);
    expect(error.message).toMatch(/asked to retry after 60 s/);
    now += 30_000;
    expect((await failure(issuer.check(fake.brand, code, { purpose: 'reveal' }))).message).toMatch(
      /after 30 s/,
    );
    expect(fake.seen).toHaveLength(1);
    now += 30_000;
    expect(await issuer.check(fake.brand, code, { purpose: 'reveal' })).toEqual({ state: 'active' });
    expect(sent.fetches).toBe(2);
  });

  it('is held back by one Retry-After a minute at most, however long it asks (a hostile issuer cannot switch checks off)', async () => {
    let now = Date.parse('2026-12-07T12:00:00Z');
    const fake = await fakeIssuer([{ status: 429, headers: { 'retry-after': '9999999999999' } }]);
    const { issuer } = anIssuer({ clock: { now: () => new Date(now) } });
    await failure(issuer.check(fake.brand, code, { purpose: 'deposit' }));
    now += 60_000;
    expect(await issuer.check(fake.brand, code, { purpose: 'reveal' })).toEqual({ state: 'active' });
    expect(fake.seen).toHaveLength(2);
  });

  it('keeps at most maxConcurrency checks in flight to one issuer; the rest wait their turn', async () => {
    const fake = await fakeIssuer(
      Array.from({ length: 6 }, () => ({ status: 200, body: '{"state":"active"}', holdMs: 50 })),
    );
    const other = await fakeIssuer(
      Array.from({ length: 2 }, () => ({ status: 200, body: '{"state":"active"}', holdMs: 50 })),
    );
    const { issuer } = anIssuer({ maxConcurrency: 2 });
    const checks = [
      ...Array.from({ length: 6 }, () => issuer.check(fake.brand, code, { purpose: 'deposit' })),
      ...Array.from({ length: 2 }, () => issuer.check(other.brand, code, { purpose: 'deposit' })),
    ];
    const answers = await Promise.all(checks);
    expect(answers.every((a) => a.state === 'active')).toBe(true);
    expect(fake.maxInFlight()).toBe(2);
    // The cap is per issuer: another issuer's checks do not wait behind this one's.
    expect(other.maxInFlight()).toBe(2);
    expect(fake.seen).toHaveLength(6);
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Mon, 07 Dec 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 11:00:00 GMT', now)).toBe(0);
    for (const junk of [null, '', '-1', '1.5', 'soon', '2026-12-07T12:00:10Z']) {
      expect(retryAfterMs(junk, now)).toBeUndefined();
    }
  });
});
