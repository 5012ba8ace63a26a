import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpIssuer, type HttpIssuerOptions } from '../../shared/adapters/issuer/http-issuer.js';
import { type Brand, normalizeCode } from '../../shared/domain/brand.js';
import { DependencyUnavailableError } from '../../shared/domain/errors.js';
import { DEMO_GIFT_BRAND, DEMO_PIN_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';

let sim: IssuerSimServer;
let gift: Brand;

beforeAll(async () => {
  sim = await startIssuerSim({ port: 0 });
  gift = demoBrand(DEMO_GIFT_BRAND, sim.url);
});
afterAll(() => sim.close());
afterEach(() => simPost('/_sim/outage', { down: false }));

/** Calls the simulator over HTTP; answers are typed loosely, for the fields the tests read. */
async function simPost(path: string, body: unknown, url = sim.url): Promise<{ code: string; pin?: string }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { code: string; pin?: string };
}

const mint = (brand = 'demo-gift', url = sim.url): Promise<{ code: string; pin?: string }> =>
  simPost('/cards', { brand, amount: 2500, currency: 'EUR' }, url);

/** An issuer over the real fetch that counts attempts and records backoff delays instead of waiting. */
function anIssuer(options: Partial<HttpIssuerOptions> = {}) {
  const seen = { calls: 0, delays: [] as number[] };
  const issuer = new HttpIssuer({
    mode: 'local',
    fetch: (input, init) => {
      seen.calls += 1;
      return fetch(input, init);
    },
    sleep: async (ms) => void seen.delays.push(ms),
    ...options,
  });
  return { issuer, seen };
}

/** Awaits a DependencyUnavailableError and checks that nothing in it reveals the code. */
async function unavailable(attempt: Promise<unknown>, code: string): Promise<DependencyUnavailableError> {
  const error = await attempt.then(
    () => expect.fail('expected the check to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  const err = error as DependencyUnavailableError;
  const everything = `${err.message} ${err.stack} ${JSON.stringify(err.details)} ${String(err.cause)}`;
  for (const form of [code, normalizeCode(code), normalizeCode(code).slice(4)])
    expect(everything).not.toContain(form);
  return err;
}

/** A local HTTP server that plays the given answers in order, or never answers when out of them. */
async function scriptedIssuer(answers: Array<{ status: number; body?: string }>) {
  const server: Server = createServer((_req, res) => {
    const next = answers.shift();
    if (next !== undefined)
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(next.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { brand: { ...gift, issuerUrl: url }, close };
}

describe('HttpIssuer against the simulated issuer', () => {
  it('reports a fresh code as active with its balance', async () => {
    const { code } = await mint();
    const { issuer } = anIssuer();
    expect(await issuer.check(gift, { code }, { purpose: 'deposit' })).toEqual({
      state: 'active',
      balance: { amount: 2500, currency: 'EUR' },
    });
  });

  it('sends the PIN for brands that use one', async () => {
    const pinBrand = demoBrand(DEMO_PIN_BRAND, sim.url);
    const { code, pin } = await mint('demo-pin');
    const { issuer } = anIssuer();
    expect((await issuer.check(pinBrand, { code, pin: pin ?? '' }, { purpose: 'deposit' })).state).toBe(
      'active',
    );
    expect((await issuer.check(pinBrand, { code }, { purpose: 'deposit' })).state).toBe('invalid');
  });

  it('reports a redeemed code with the issuer redemption time', async () => {
    const { code } = await mint();
    await simPost('/_sim/cards/redeem-at', { code, redeemedAt: '2030-05-06T07:08:09.000Z' });
    const { issuer } = anIssuer();
    expect(await issuer.check(gift, { code }, { purpose: 'deposit' })).toEqual({
      state: 'redeemed',
      balance: { amount: 0, currency: 'EUR' },
      redeemedAt: '2030-05-06T07:08:09.000Z',
      lastUsedAt: '2030-05-06T07:08:09.000Z',
    });
  });

  it('reports a redeemed code without a time when the issuer gives none', async () => {
    const { code } = await mint();
    await simPost('/_sim/cards/forget-time', { code });
    const { issuer } = anIssuer();
    const check = await issuer.check(gift, { code }, { purpose: 'deposit' });
    expect(check.state).toBe('redeemed');
    expect(check).not.toHaveProperty('redeemedAt');
  });

  it('reports an unknown code as invalid', async () => {
    const { issuer } = anIssuer();
    expect(await issuer.check(gift, { code: 'DEMO-ZZZZ-ZZZZ-ZZZZ' }, { purpose: 'deposit' })).toEqual({
      state: 'invalid',
    });
  });

  it('retries an outage with growing backoff, then throws DependencyUnavailableError', async () => {
    const { code } = await mint();
    await simPost('/_sim/outage', { down: true });
    const { issuer, seen } = anIssuer({ random: () => 0.5 });
    const error = await unavailable(issuer.check(gift, { code }, { purpose: 'deposit' }), code);
    expect(error.message).toMatch(/HTTP 503 after 3 attempts/);
    expect(seen.calls).toBe(3);
    expect(seen.delays).toEqual([75, 150]);
  });

  it('does not retry a 4xx answer', async () => {
    const { code } = await mint();
    const { issuer, seen } = anIssuer({ failureThreshold: 1 });
    const wrongPath = { ...gift, issuerUrl: `${sim.url}/nowhere` };
    expect(
      (await unavailable(issuer.check(wrongPath, { code }, { purpose: 'deposit' }), code)).message,
    ).toMatch(/HTTP 404$/);
    expect(
      (await unavailable(issuer.check(wrongPath, { code }, { purpose: 'deposit' }), code)).message,
    ).toMatch(/HTTP 404$/);
    expect(seen.calls).toBe(2); // and a 4xx does not open the circuit
  });

  it('opens the circuit after consecutive failures, fails fast without calling, and closes after a good probe', async () => {
    const { code } = await mint();
    const time = { now: Date.parse('2030-01-01T00:00:00Z') };
    const { issuer, seen } = anIssuer({
      retries: 0,
      failureThreshold: 3,
      clock: { now: () => new Date(time.now) },
    });
    await simPost('/_sim/outage', { down: true });
    for (let i = 0; i < 3; i++) await unavailable(issuer.check(gift, { code }, { purpose: 'deposit' }), code);
    expect(seen.calls).toBe(3);

    expect((await unavailable(issuer.check(gift, { code }, { purpose: 'deposit' }), code)).message).toMatch(
      /circuit open/,
    );
    expect(seen.calls).toBe(3);

    // The circuit is per issuer: another issuer is still called.
    const other = await startIssuerSim({ port: 0 });
    try {
      const fresh = await mint('demo-gift', other.url);
      expect(
        (await issuer.check({ ...gift, issuerUrl: other.url }, fresh, { purpose: 'deposit' })).state,
      ).toBe('active');
    } finally {
      await other.close();
    }

    await simPost('/_sim/outage', { down: false });
    time.now += 30_000;
    expect((await issuer.check(gift, { code }, { purpose: 'deposit' })).state).toBe('active');
    expect((await issuer.check(gift, { code }, { purpose: 'deposit' })).state).toBe('active');
  });

  it('gives up on an issuer that never answers, per attempt, with DependencyUnavailableError', async () => {
    const silent = await scriptedIssuer([]);
    try {
      const { issuer, seen } = anIssuer({ timeoutMs: 50, retries: 1 });
      const error = await unavailable(
        issuer.check(silent.brand, { code: 'DEMO-HANG-HANG-HANG' }, { purpose: 'deposit' }),
        'DEMO-HANG-HANG-HANG',
      );
      expect(error.message).toMatch(/timed out after 50 ms after 2 attempts/);
      expect((error.cause as Error).name).toBe('TimeoutError');
      // Two attempts of 50 ms each, not the default budget: the per-attempt timeout held.
      expect(seen.calls).toBe(2);
    } finally {
      await silent.close();
    }
  });

  it('retries a 429 and then takes the answer', async () => {
    const issuerServer = await scriptedIssuer([{ status: 429 }, { status: 200, body: '{"state":"active"}' }]);
    try {
      const { issuer, seen } = anIssuer();
      expect(
        await issuer.check(issuerServer.brand, { code: 'DEMO-AAAA-BBBB-CCCC' }, { purpose: 'deposit' }),
      ).toEqual({
        state: 'active',
      });
      expect(seen.calls).toBe(2);
    } finally {
      await issuerServer.close();
    }
  });

  it('does not retry an answer that breaks the protocol, even one echoing the code', async () => {
    const code = 'DEMO-ECHO-ECHO-ECHO';
    const issuerServer = await scriptedIssuer([
      { status: 200, body: `{"state":"${code}"}` },
      { status: 200, body: code },
    ]);
    try {
      const { issuer, seen } = anIssuer();
      expect(
        (await unavailable(issuer.check(issuerServer.brand, { code }, { purpose: 'deposit' }), code)).message,
      ).toMatch(/malformed/);
      expect(
        (await unavailable(issuer.check(issuerServer.brand, { code }, { purpose: 'deposit' }), code)).message,
      ).toMatch(/malformed/);
      expect(seen.calls).toBe(2);
    } finally {
      await issuerServer.close();
    }
  });
});

describe('startIssuerSim', () => {
  it('rejects with a clear error when the port is already in use', async () => {
    await expect(startIssuerSim({ port: sim.port })).rejects.toThrow(/already in use/);
  });
});
