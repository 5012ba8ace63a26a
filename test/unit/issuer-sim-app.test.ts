import { describe, expect, it, vi } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { DEMO_GIFT_BRAND, DEMO_PIN_BRAND } from '../../shared/issuer-sim/demo-brands.js';
import { createIssuerSimApp } from '../../shared/issuer-sim/issuer-sim-app.js';

/** The fields the simulator answers with, loosely typed for assertions. */
interface SimJson {
  readonly [field: string]: unknown;
  readonly code: string;
  readonly pin?: string;
  readonly state?: string;
  readonly redeemedAt?: string;
}

const REDEEM_TIME = new Date('2030-01-02T03:04:05.000Z');

function aSim() {
  const app = createIssuerSimApp({ clock: { now: () => REDEEM_TIME } });
  const post = async (path: string, body: unknown) => {
    const response = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      json: (await response.json()) as SimJson,
    };
  };
  const mint = async (brand: string = DEMO_GIFT_BRAND.brand) =>
    (await post('/cards', { brand, amount: 2500, currency: 'EUR' })).json as { code: string; pin?: string };
  return { post, mint };
}

describe('issuer simulator app', () => {
  it('mints a code in the brand format, checks it active, redeems it, then checks it redeemed', async () => {
    const { post } = aSim();
    const minted = await post('/cards', { brand: 'demo-gift', amount: 2500, currency: 'EUR' });
    expect(minted.status).toBe(201);
    expect(minted.json.code).toMatch(/^DEMO-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(normalizeCode(minted.json.code)).toMatch(new RegExp(`^${DEMO_GIFT_BRAND.codePattern}$`));
    expect(minted.json.pin).toBeUndefined();
    expect(minted.json.balance).toEqual({ amount: 2500, currency: 'EUR' });

    const code: string = minted.json.code;
    const active = await post('/check', { brand: 'demo-gift', code });
    expect(active).toMatchObject({
      status: 200,
      json: { state: 'active', balance: { amount: 2500, currency: 'EUR' } },
    });

    const redeemed = await post('/cards/redeem', { code });
    expect(redeemed).toMatchObject({
      status: 200,
      json: { state: 'redeemed', redeemedAt: REDEEM_TIME.toISOString() },
    });

    const after = await post('/check', { brand: 'demo-gift', code: normalizeCode(code).toLowerCase() });
    expect(after.json).toEqual({
      state: 'redeemed',
      balance: { amount: 0, currency: 'EUR' },
      redeemedAt: REDEEM_TIME.toISOString(),
      lastUsedAt: REDEEM_TIME.toISOString(),
    });
  });

  it('answers invalid for an unknown code, another brand, or a wrong PIN', async () => {
    const { post, mint } = aSim();
    expect((await post('/check', { brand: 'demo-gift', code: 'DEMO-AAAA-BBBB-CCCC' })).json).toEqual({
      state: 'invalid',
    });
    const gift = await mint();
    expect((await post('/check', { brand: 'demo-pin', code: gift.code })).json).toEqual({ state: 'invalid' });

    const withPin = await mint(DEMO_PIN_BRAND.brand);
    expect(withPin.pin).toMatch(/^[0-9]{4}$/);
    const wrongPin = withPin.pin === '0000' ? '0001' : '0000';
    expect((await post('/check', { brand: 'demo-pin', code: withPin.code, pin: wrongPin })).json.state).toBe(
      'invalid',
    );
    expect((await post('/check', { brand: 'demo-pin', code: withPin.code })).json.state).toBe('invalid');
    expect(
      (await post('/check', { brand: 'demo-pin', code: withPin.code, pin: withPin.pin })).json.state,
    ).toBe('active');
  });

  it('rejects bad bodies with a 400 problem that does not echo the input', async () => {
    const { post } = aSim();
    for (const body of [
      '{not json',
      { brand: 'demo-gift' },
      { brand: 'demo-gift', amount: 1.5, currency: 'EUR' },
    ]) {
      const answer = await post(body === '{not json' ? '/check' : '/cards', body);
      expect(answer.status).toBe(400);
      expect(answer.type).toBe('application/problem+json');
      expect(answer.json).toMatchObject({ status: 400, type: expect.stringMatching(/validation$/) });
    }
    const secret = 'DEMO-SECR-ETSE-CRET';
    const answer = await post('/_sim/cards/redeem-at', { code: secret, redeemedAt: 'yesterday' });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).not.toContain('SECR');
  });

  it('answers 400 unknown-brand when minting a brand it does not issue', async () => {
    const { post } = aSim();
    const answer = await post('/cards', { brand: 'acme', amount: 100, currency: 'EUR' });
    expect(answer).toMatchObject({ status: 400, json: { type: expect.stringMatching(/unknown-brand$/) } });
  });

  it('answers 404 when redeeming an unknown code and 409 when redeeming twice', async () => {
    const { post, mint } = aSim();
    expect((await post('/cards/redeem', { code: 'DEMO-AAAA-BBBB-CCCC' })).status).toBe(404);
    const { code } = await mint();
    expect((await post('/cards/redeem', { code })).status).toBe(200);
    expect((await post('/cards/redeem', { code })).status).toBe(409);
  });

  it('stages redemptions at a chosen time or with no time through the /_sim hooks', async () => {
    const { post, mint } = aSim();
    const { code } = await mint();
    const at = '2029-12-31T23:00:00+01:00';
    expect((await post('/_sim/cards/redeem-at', { code, redeemedAt: at })).json.redeemedAt).toBe(
      '2029-12-31T22:00:00.000Z',
    );
    expect((await post('/check', { brand: 'demo-gift', code })).json.redeemedAt).toBe(
      '2029-12-31T22:00:00.000Z',
    );

    expect((await post('/_sim/cards/forget-time', { code })).json).toEqual({ state: 'redeemed' });
    const check = await post('/check', { brand: 'demo-gift', code });
    expect(check.json.state).toBe('redeemed');
    expect(check.json).not.toHaveProperty('redeemedAt');
  });

  it('answers 503 to /check during a simulated outage, and recovers', async () => {
    const { post, mint } = aSim();
    const { code } = await mint();
    expect((await post('/_sim/outage', { down: true })).json).toEqual({ down: true });
    expect((await post('/check', { brand: 'demo-gift', code })).status).toBe(503);
    await post('/_sim/outage', { down: false });
    expect((await post('/check', { brand: 'demo-gift', code })).json.state).toBe('active');
  });

  describe('spending and the remaining balance', () => {
    const eur = (amount: number) => ({ amount, currency: 'EUR' });

    it('spends part of a card, answers the rest at /check, and redeems it at zero', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      expect(await post('/cards/spend', { code, amount: 1000 })).toMatchObject({
        status: 200,
        json: { state: 'active', balance: eur(1500), lastUsedAt: REDEEM_TIME.toISOString() },
      });
      expect((await post('/check', { brand: 'demo-gift', code })).json).toEqual({
        state: 'active',
        balance: eur(1500),
        lastUsedAt: REDEEM_TIME.toISOString(),
      });

      expect((await post('/cards/spend', { code, amount: 1500 })).json).toEqual({
        state: 'redeemed',
        balance: eur(0),
        redeemedAt: REDEEM_TIME.toISOString(),
        lastUsedAt: REDEEM_TIME.toISOString(),
      });
      expect((await post('/check', { brand: 'demo-gift', code })).json).toEqual({
        state: 'redeemed',
        balance: eur(0),
        redeemedAt: REDEEM_TIME.toISOString(),
        lastUsedAt: REDEEM_TIME.toISOString(),
      });
    });

    it('spends at a time the test gives (spend-at), and answers it as lastUsedAt (issue 17)', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      const at = '2026-03-01T10:05:00.000Z';
      expect((await post('/_sim/cards/spend-at', { code, amount: 2499, at })).json).toEqual({
        state: 'active',
        balance: eur(1),
        lastUsedAt: at,
      });
      expect((await post('/check', { brand: 'demo-gift', code })).json).toEqual({
        state: 'active',
        balance: eur(1),
        lastUsedAt: at,
      });
      expect((await post('/_sim/cards/spend-at', { code, amount: 2, at })).status).toBe(409);
      const last = '2026-03-01T11:00:00+01:00';
      expect((await post('/_sim/cards/spend-at', { code, amount: 1, at: last })).json).toEqual({
        state: 'redeemed',
        balance: eur(0),
        redeemedAt: '2026-03-01T10:00:00.000Z',
        lastUsedAt: '2026-03-01T10:00:00.000Z',
      });
      expect((await post('/_sim/cards/spend-at', { code, amount: 1, at: 'yesterday' })).status).toBe(400);
    });

    it('answers 409 insufficient-balance for one minor unit more than is left, and spends nothing', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      const tooMuch = await post('/cards/spend', { code, amount: 2501 });
      expect(tooMuch).toMatchObject({
        status: 409,
        json: { type: expect.stringMatching(/insufficient-balance$/) },
      });
      expect(JSON.stringify(tooMuch.json)).not.toContain(normalizeCode(code).slice(4));
      expect((await post('/check', { brand: 'demo-gift', code })).json.balance).toEqual(eur(2500));
    });

    it('answers 409 already-redeemed when spending a redeemed card, 404 for an unknown code', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      await post('/cards/redeem', { code });
      expect((await post('/cards/spend', { code, amount: 1 })).status).toBe(409);
      expect((await post('/cards/spend', { code: 'DEMO-AAAA-BBBB-CCCC', amount: 1 })).status).toBe(404);
    });

    it('refuses a zero, negative or fractional amount with a 400 problem', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      for (const amount of [0, -5, 1.5, '100']) {
        expect((await post('/cards/spend', { code, amount })).status).toBe(400);
      }
    });

    it('sets a balance through the test hook, and a zero balance redeems the card now', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      expect((await post('/_sim/cards/set-balance', { code, amount: 700 })).json).toEqual({
        state: 'active',
        balance: eur(700),
      });
      expect((await post('/check', { brand: 'demo-gift', code })).json.balance).toEqual(eur(700));
      expect((await post('/_sim/cards/set-balance', { code, amount: 0 })).json).toEqual({
        state: 'redeemed',
        balance: eur(0),
        redeemedAt: REDEEM_TIME.toISOString(),
        lastUsedAt: REDEEM_TIME.toISOString(),
      });
      // A positive balance makes a redeemed card active again, to stage a scenario.
      expect((await post('/_sim/cards/set-balance', { code, amount: 300 })).json).toEqual({
        state: 'active',
        balance: eur(300),
      });
    });

    it('makes /check answer invalid for a card invalidated through the test hook', async () => {
      const { post, mint } = aSim();
      const { code } = await mint();
      expect(await post('/_sim/cards/invalidate', { code })).toMatchObject({ status: 200 });
      expect((await post('/check', { brand: 'demo-gift', code })).json).toEqual({ state: 'invalid' });
      expect((await post('/cards/spend', { code, amount: 1 })).status).toBe(404);
      expect((await post('/_sim/cards/invalidate', { code })).status).toBe(404);
    });
  });

  it('logs nothing, even on a bad request (requests carry codes)', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    try {
      const { post, mint } = aSim();
      const { code } = await mint();
      await post('/cards/spend', { code, amount: 99_999 });
      await post('/_sim/cards/set-balance', { code, amount: -1 });
      await post('/_sim/cards/invalidate', { code });
      await post('/check', '{not json');
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
