import { describe, expect, it } from 'vitest';
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
});
