import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import {
  codeOfCard,
  depositMinted,
  findCodes,
  findPins,
  issuerOutage,
  redeemAtIssuer,
  redeemAtTime,
  redeemWithoutTime,
  report,
  scanTable,
  stringValues,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, mintCode, pay, reveal, unique } from '../support/scenario.js';
import type { HttpResult, TestStack } from '../support/test-stack.js';
import { useTestStack } from '../support/test-stack.js';
import { eventually, startReceiver } from '../support/webhook-receiver.js';

// Webhooks delivered as `npm start` does, to a receiver subscribed to every event: every payload
// is searched too (issue 9: no code, PIN, ciphertext or fingerprint in any delivered event).
const stack = useTestStack(
  { WEBHOOK_DISPATCH_INTERVAL_MS: '50', WEBHOOK_ENDPOINT_CACHE_SECONDS: '0' },
  { webhooks: true },
);
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  const registered = await stack.current.post('/v1/webhook-endpoints', {
    url: receiver.url('/everything'),
    eventTypes: ['*'],
  });
  expect(registered.status, registered.text).toBe(201);
});
afterAll(async () => {
  await receiver?.close();
});

interface Recorded {
  method: string;
  path: string;
  res: HttpResult;
}

/** The stack with every API response kept, to be searched afterwards. */
function recording(s: TestStack): { api: TestStack; responses: Recorded[] } {
  const responses: Recorded[] = [];
  const request: TestStack['request'] = async (method, path, options) => {
    const res = await s.request(method, path, options);
    responses.push({ method, path, res });
    return res;
  };
  const api: TestStack = {
    ...s,
    request,
    post: (path, body, headers) =>
      request('POST', path, { ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) }),
    get: (path) => request('GET', path),
  };
  return { api, responses };
}

const isReveal = (r: Recorded) => r.method === 'POST' && /\/reveal$/.test(r.path) && r.res.status === 200;

/** Everything deposited or attempted, so every form of it can be searched for. */
class Secrets {
  readonly codes: string[] = [];
  readonly pins: string[] = [];
  add(card: { code: string; pin?: string | undefined }): { code: string; pin?: string } {
    this.codes.push(card.code);
    if (card.pin === undefined) return { code: card.code };
    this.pins.push(card.pin);
    return { code: card.code, pin: card.pin };
  }
}

describe('leaks: a plaintext code or PIN never leaves the deposit request and the reveal response', () => {
  it('keeps every code and PIN out of logs, the table, events and every other response', async () => {
    const s = stack.current;
    const { api, responses } = recording(s);
    const secrets = new Secrets();
    const orderIds: string[] = [];

    // A sale with PINs: deposit, order, pay, reveal (the one place codes may appear), confirm.
    const pinListing = await aListing(api, { brand: 'demo-pin' });
    const pinCards = await depositMinted(api, pinListing.listingId, 'demo-pin', 3);
    for (const c of pinCards) secrets.add(c);
    const sale = await anOrder(api, pinListing.listingId);
    orderIds.push(sale.orderId);
    await pay(api, sale.order);
    const revealed = await reveal(api, sale.orderId, sale.buyerId);
    expect(revealed.status, revealed.text).toBe(200);
    expect((await api.post(`/v1/orders/${sale.orderId}/confirm`, { buyerId: sale.buyerId })).status).toBe(
      200,
    );

    // Reports: rejected (the code works), refunded (redeemed before the reveal), escalated (race).
    const giftListing = await aListing(api);
    for (const decision of ['rejected', 'refunded', 'escalated']) {
      const [card] = await depositMinted(api, giftListing.listingId, 'demo-gift', 1);
      secrets.add(card as { code: string });
      const o = await anOrder(api, giftListing.listingId);
      orderIds.push(o.orderId);
      await pay(api, o.order);
      const r = await reveal(api, o.orderId, o.buyerId);
      const at = Date.parse(r.body.revealedAt);
      if (decision === 'refunded') await redeemAtTime(s, card?.code as string, at - 60_000);
      if (decision === 'escalated') await redeemAtTime(s, card?.code as string, at + 10_000);
      const res = await report(api, o.orderId, o.buyerId, o.order.cards[0].cardId);
      expect(res.body.decision, res.text).toBe(decision);
    }
    const noTime = await anOrder(api, pinListing.listingId);
    orderIds.push(noTime.orderId);
    await pay(api, noTime.order);
    expect((await reveal(api, noTime.orderId, noTime.buyerId)).status).toBe(200);
    await redeemWithoutTime(s, codeOfCard(pinCards, noTime.order.cards[0].cardId));
    expect((await report(api, noTime.orderId, noTime.buyerId, noTime.order.cards[0].cardId)).status).toBe(
      201,
    );

    // F7 with a PIN card: redeemed after deposit, refunded at the reveal, retried.
    const deadOrder = await anOrder(api, pinListing.listingId);
    orderIds.push(deadOrder.orderId);
    await redeemAtIssuer(s, codeOfCard(pinCards, deadOrder.order.cards[0].cardId));
    await pay(api, deadOrder.order);
    expect((await reveal(api, deadOrder.orderId, deadOrder.buyerId)).status).toBe(409);
    expect((await reveal(api, deadOrder.orderId, deadOrder.buyerId)).status).toBe(409);

    // Bad input carrying codes.
    const path = `/v1/listings/${pinListing.listingId}/cards`;
    const noPin = secrets.add(await mintCode(s, 5000, 'demo-pin'));
    const wrongPin = secrets.add(await mintCode(s, 5000, 'demo-pin'));
    const otherBrand = secrets.add(await mintCode(s, 5000, 'demo-gift'));
    const used = secrets.add(await mintCode(s, 5000, 'demo-pin'));
    await redeemAtIssuer(s, used.code);
    const wrongValue = secrets.add(await mintCode(s, 2500, 'demo-pin'));
    const flagged = await api.post(path, {
      cards: [
        { code: noPin.code },
        { code: wrongPin.code, pin: wrongPin.pin === '0000' ? '0001' : '0000' },
        { code: otherBrand.code, pin: '1234' },
        { code: used.code, pin: used.pin },
        { code: wrongValue.code, pin: wrongValue.pin },
        { code: pinCards[0]?.code, pin: pinCards[0]?.pin }, // a duplicate
        { code: `${pinCards[1]?.code}`.toLowerCase(), pin: pinCards[1]?.pin }, // a duplicate, respelled
      ],
    });
    expect(flagged.body.results.map((r: { reason: string }) => r.reason)).toEqual([
      'format',
      'invalid_code',
      'format',
      'already_redeemed',
      'value_mismatch',
      'duplicate',
      'duplicate',
    ]);
    const stray = secrets.add(await mintCode(s, 5000, 'demo-pin'));
    const strayCard = { code: stray.code, pin: stray.pin };
    const badRequests = [
      await api.post(path, { cards: [{ ...strayCard, note: stray.code }] }),
      await api.post(path, { cards: [{ ...strayCard, code: `${stray.code}${'-'.repeat(128)}` }] }),
      await api.post(path, { cards: [{ code: stray.code, pin: 1234 }] }),
      await api.post(path, { cards: strayCard }),
      await api.post(path, { cards: [strayCard], listing: stray.code }),
      await api.request('POST', path, {
        raw: `{"cards":[{"code":"${stray.code}","pin":"${stray.pin}"`,
        headers: { 'content-type': 'application/json' },
      }),
      await api.request('POST', path, { raw: JSON.stringify({ cards: [strayCard] }), headers: {} }),
      await api.post('/v1/listings/lst_00000000000000000000000000/cards', { cards: [strayCard] }),
      await api.post(`/v1/orders/${sale.orderId}/reports`, {
        buyerId: sale.buyerId,
        cardId: stray.code,
        reason: 'already_redeemed',
      }),
      await api.post(
        `/v1/orders/${sale.orderId}/reveal`,
        { buyerId: sale.buyerId, code: stray.code },
        {
          'idempotency-key': unique('k'),
        },
      ),
      await api.request('POST', path, { body: { cards: [strayCard] }, apiKey: `cvk_${stray.code}` }),
    ];
    for (const res of badRequests) expect(res.status, res.text).toBeGreaterThanOrEqual(400);

    // The issuer down during a deposit: the card is kept pending, encrypted, and deposited again
    // once it answers (card.deposit_settled, from the card's own stream record).
    const pending = secrets.add(await mintCode(s, 5000, 'demo-pin'));
    await issuerOutage(s, true);
    try {
      const res = await api.post(path, { cards: [pending] });
      expect(res.body.results[0].outcome, res.text).toBe('pending');
    } finally {
      await issuerOutage(s, false);
    }
    const settled = await api.post(path, { cards: [pending] });
    expect(settled.body.results[0].outcome, settled.text).toBe('accepted');

    for (const orderId of orderIds) expect((await api.get(`/v1/orders/${orderId}/events`)).status).toBe(200);
    // Every order's evidence, in each form a marketplace may send on (the bundle, its Stripe
    // mapping, the printable page): searched below with every other response.
    const evidence: string[] = [];
    for (const orderId of orderIds) {
      for (const [query, accept] of [
        ['', 'application/json'],
        ['?format=stripe', 'application/json'],
        ['', 'text/html'],
      ] as const) {
        const res = await api.request('GET', `/v1/orders/${orderId}/evidence${query}`, {
          headers: { accept },
        });
        expect(res.status, res.text).toBe(200);
        evidence.push(res.text);
      }
    }
    // Nor the API key the bundles were fetched with, nor a sealed code.
    expect(evidence.filter((text) => text.includes(s.devApiKey))).toEqual([]);
    await api.get(`/v1/sellers/${pinListing.sellerId}`);
    await api.get(`/v1/listings/${pinListing.listingId}`);

    // The detectors work: the reveal responses do carry the codes and PINs.
    const reveals = responses.filter(isReveal);
    expect(reveals.length).toBeGreaterThan(0);
    expect(findCodes(reveals.map((r) => r.res.text).join('\n'), secrets.codes)).not.toEqual([]);
    expect(findPins(revealed.body, secrets.pins)).not.toEqual([]);

    const leakingResponses = responses
      .filter((r) => !isReveal(r))
      .filter(
        (r) => findCodes(r.res.text, secrets.codes).length > 0 || findPins(r.res.body, secrets.pins).length,
      )
      .map((r) => `${r.method} ${r.path} -> ${r.res.status}`);
    expect(leakingResponses).toEqual([]);
    const problems = responses.filter((r) => r.res.status >= 400);
    expect(problems.length).toBeGreaterThan(10);
    for (const p of problems) expect(p.res.headers.get('content-type')).toMatch(/problem\+json/);

    const logs = s.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(findCodes(logs, secrets.codes)).toEqual([]);
    expect(s.logs.flatMap((line) => findPins(JSON.parse(line), secrets.pins))).toEqual([]);

    const items = await scanTable(s);
    expect(items.some((i) => i.entity === 'Card')).toBe(true);
    expect(findCodes(JSON.stringify(items), secrets.codes)).toEqual([]);
    expect(findPins(items, secrets.pins)).toEqual([]);
    // Not even an unkeyed hash of a code (only the keyed HMAC fingerprint is stored).
    const hashes = secrets.codes.map((c) => createHash('sha256').update(normalizeCode(c)).digest('hex'));
    const stored = stringValues(items).map((v) => v.value.toLowerCase());
    expect(hashes.filter((h) => stored.some((v) => v.includes(h)))).toEqual([]);

    // Every order's events reached the receiver; none carries a code, a PIN, a ciphertext or a fingerprint.
    const deliveredFor = (orderId: string) =>
      receiver.received('/everything').some((r) => r.body.includes(orderId));
    // The payloads read from penalties and a settled card's record are searched as well.
    const typesIn = () => new Set(receiver.received('/everything').map((r) => JSON.parse(r.body).type));
    const alsoSearched = ['seller.penalised', 'card.deposit_settled', 'order.confirmed'];
    await eventually('events of every order, a penalty and a settlement', () =>
      orderIds.every(deliveredFor) && alsoSearched.every((t) => typesIn().has(t)) ? true : undefined,
    );
    const payloads = receiver.received('/everything').map((r) => r.body);
    expect(payloads.length).toBeGreaterThan(orderIds.length);
    const sealed = items
      .filter((i) => i.entity === 'Card')
      .flatMap((i) => [i.ciphertext, i.fingerprint])
      .filter((v): v is string => typeof v === 'string' && v.length >= 16);
    expect(sealed.length).toBeGreaterThan(secrets.pins.length);
    expect(sealed.filter((v) => evidence.some((text) => text.includes(v)))).toEqual([]);
    const all = payloads.join('\n');
    expect({
      codes: findCodes(all, secrets.codes),
      pins: payloads.flatMap((p) => findPins(JSON.parse(p), secrets.pins)),
      sealed: sealed.filter((v) => all.includes(v)),
    }).toEqual({ codes: [], pins: [], sealed: [] });
  }, 60_000);

  it('neither logs nor echoes a code pasted into a URL by mistake', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositMinted(s, listingId, 'demo-gift', 1);
    const code = card?.code as string;
    const logsBefore = s.logs.length;

    const attempts = [
      await s.request('DELETE', `/v1/listings/${listingId}/cards/${code}`),
      await s.get(`/v1/orders/${encodeURIComponent(code)}`),
      await s.get(`/v1/listings/${listingId}/cards/${code}`),
    ];

    for (const res of attempts) expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    const echoed = attempts.filter((res) => findCodes(res.text, [code]).length > 0).map((res) => res.text);
    const logged = s.logs.slice(logsBefore).filter((line) => findCodes(line, [code]).length > 0);
    expect({ echoed, logged }).toEqual({ echoed: [], logged: [] });
  });
});
