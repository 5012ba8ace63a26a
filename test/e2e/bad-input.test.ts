import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { aListing, anOrder, aPaidOrder, depositFresh, mintCode, unique } from '../support/scenario.js';
import { type HttpResult, type TestStack, useTestStack } from '../support/test-stack.js';

/**
 * Malformed requests over real HTTP: each is a 4xx RFC 9457 problem with a stable type, never
 * a 5xx, never an echo of a submitted code, and never a change to anything.
 */
const stack = useTestStack();

/** Put in every body that carries a code: no response may ever contain it. */
const SECRET = 'LEAKCANARY7Q9X';
const json = { 'content-type': 'application/json' };
const money = (amount: unknown, currency: unknown = 'EUR') => ({ amount, currency });
const validListing = () => ({
  sellerId: 'seller-bad-input',
  brand: 'demo-gift',
  faceValue: money(5000),
  price: money(4500),
});

interface Fixtures {
  listingId: string;
  orderId: string;
  paidOrderId: string;
  buyerId: string;
}

interface BadRequest {
  name: string;
  method: string;
  path: (f: Fixtures) => string;
  body?: (f: Fixtures) => unknown;
  raw?: string;
  headers?: Record<string, string>;
  apiKey?: string | null;
  status: number | number[];
  code: string | string[];
}

const listings = () => '/v1/listings';
const cards = (f: Fixtures) => `/v1/listings/${f.listingId}/cards`;
const orders = () => '/v1/orders';
const payment = (f: Fixtures) => `/v1/orders/${f.orderId}/payment`;
const reveal = (f: Fixtures) => `/v1/orders/${f.paidOrderId}/reveal`;
const listingOf = (f: Fixtures) => `/v1/listings/${f.listingId}`;
const key = () => ({ 'idempotency-key': unique('bad') });
const WELL_FORMED_UNKNOWN_KEY = `cvk_0123456789abcdef_${'A'.repeat(43)}`;

/** Case builders: most malformed requests are a `validation` 400 on one route. */
const invalid = (name: string, method: string, path: BadRequest['path'], extra: Partial<BadRequest> = {}) =>
  ({ name, method, path, status: 400, code: 'validation', ...extra }) satisfies BadRequest;
const listing = (name: string, patch: Record<string, unknown>) =>
  invalid(name, 'POST', listings, { body: () => ({ ...validListing(), ...patch }) });
const deposit = (name: string, body: () => unknown) => invalid(name, 'POST', cards, { body });
const order = (name: string, body: (f: Fixtures) => unknown, headers: Record<string, string> = key()) =>
  invalid(name, 'POST', orders, { body, headers });
const pay = (name: string, body: () => unknown) => invalid(name, 'POST', payment, { body });
const unauthorized = (name: string, extra: Partial<BadRequest>) =>
  ({
    name,
    method: 'GET',
    path: listingOf,
    status: 401,
    code: 'unauthorized',
    ...extra,
  }) satisfies BadRequest;
const noRoute = (name: string, method: string, path: BadRequest['path']) =>
  ({
    name,
    method,
    path,
    status: 404,
    code: 'not-found',
  }) satisfies BadRequest;

const cases: BadRequest[] = [
  // Bodies that are not the JSON object the route expects.
  invalid('truncated JSON', 'POST', cards, {
    raw: `{"cards":[{"code":"${SECRET}`,
    headers: json,
    code: 'malformed-json',
  }),
  invalid('a JSON array instead of an object', 'POST', cards, {
    raw: JSON.stringify([{ code: SECRET }]),
    headers: json,
  }),
  invalid('a JSON string body', 'POST', listings, { raw: '"x"', headers: json }),
  invalid('a JSON null body', 'POST', listings, { raw: 'null', headers: json }),
  invalid('no body (JSON content type)', 'POST', listings, { headers: json, code: 'malformed-json' }),
  invalid('no body and no content type', 'POST', listings),
  invalid('a text/plain body', 'POST', cards, {
    raw: JSON.stringify({ cards: [{ code: SECRET }] }),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported-media-type',
  }),
  invalid('a form body', 'POST', listings, {
    raw: 'sellerId=s&brand=demo-gift',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'unsupported-media-type',
  }),
  // Money.
  listing('a string amount', { price: money('4500') }),
  listing('a negative price', { price: money(-1) }),
  listing('a fractional price', { price: money(45.5) }),
  listing('a zero price', { price: money(0) }),
  listing('an amount that is not a safe integer', { price: money(1e300) }),
  listing("currency 'eur'", { faceValue: money(5000, 'eur'), price: money(4500, 'eur') }),
  listing("currency 'EURO'", { faceValue: money(5000, 'EURO'), price: money(4500, 'EURO') }),
  listing('an unknown field in money', { price: { amount: 4500, currency: 'EUR', rate: 1 } }),
  pay('a payment with a string amount', () => ({ paymentRef: unique('pay'), amount: money('4500') })),
  pay('a payment with a negative amount', () => ({ paymentRef: unique('pay'), amount: money(-4500) })),
  pay('a payment of zero', () => ({ paymentRef: unique('pay'), amount: money(0) })),
  // Deposits.
  deposit('501 cards', () => ({ cards: Array.from({ length: 501 }, (_, i) => ({ code: `${SECRET}${i}` })) })),
  deposit('zero cards', () => ({ cards: [] })),
  deposit('a 100 kB code', () => ({ cards: [{ code: `${SECRET}${'B'.repeat(100_000)}` }] })),
  deposit('a code of only spaces', () => ({ cards: [{ code: '      ' }] })),
  deposit('a code of only separators', () => ({ cards: [{ code: ' - -- - ' }] })),
  deposit('an empty code', () => ({ cards: [{ code: '' }] })),
  deposit('a numeric code', () => ({ cards: [{ code: 12345678 }] })),
  deposit('an unknown field on a card', () => ({ cards: [{ code: SECRET, balance: 5000 }] })),
  deposit('cards as an object', () => ({ cards: { code: SECRET } })),
  // Strict objects and required fields.
  listing('an unknown field on a listing', { discount: 10 }),
  listing('a listing without a price', { price: undefined }),
  listing('a sellerId with spaces', { sellerId: 'seller one' }),
  order('an unknown field on an order', (f) => ({ listingId: f.listingId, buyerId: 'b1', price: 1 })),
  order('an order without a buyerId', (f) => ({ listingId: f.listingId })),
  order('an order with quantity 0', (f) => ({ listingId: f.listingId, buyerId: 'b1', quantity: 0 })),
  order('an order for a malformed listing id', () => ({ listingId: 'lst_nope', buyerId: 'b1' })),
  order('a buyerId with spaces and markup', (f) => ({ listingId: f.listingId, buyerId: '<script> x' })),
  pay('a payment without a paymentRef', () => ({ amount: money(4500) })),
  invalid('a reveal without a buyerId', 'POST', reveal, { body: () => ({}), headers: key() }),
  invalid(
    "a report reason other than 'already_redeemed'",
    'POST',
    (f) => `/v1/orders/${f.paidOrderId}/reports`,
    {
      body: (f) => ({ buyerId: f.buyerId, cardId: `crd_${'0'.repeat(26)}`, reason: 'changed_my_mind' }),
    },
  ),
  // Idempotency-Key.
  {
    ...order('an order without an Idempotency-Key', (f) => ({ listingId: f.listingId, buyerId: 'b1' }), {}),
    code: 'idempotency-key-missing',
  },
  invalid('a reveal without an Idempotency-Key', 'POST', reveal, {
    body: (f) => ({ buyerId: f.buyerId }),
    code: 'idempotency-key-missing',
  }),
  {
    ...order(
      'an over-long Idempotency-Key (256 characters)',
      (f) => ({ listingId: f.listingId, buyerId: 'b1' }),
      {
        'idempotency-key': 'k'.repeat(256),
      },
    ),
    code: 'idempotency-key-invalid',
  },
  invalid('an Idempotency-Key with a space', 'POST', reveal, {
    body: (f) => ({ buyerId: f.buyerId }),
    headers: { 'idempotency-key': 'two words' },
    code: 'idempotency-key-invalid',
  }),
  // Path junk.
  invalid('an encoded ../.. order id', 'GET', () => '/v1/orders/..%2F..'),
  invalid('a malformed ord_ id', 'GET', () => '/v1/orders/ord_bad!'),
  invalid('a very long order id', 'GET', () => `/v1/orders/ord_${'A'.repeat(4000)}`),
  invalid('a unicode order id', 'GET', () => `/v1/orders/ord_${encodeURIComponent('💳ÄÖÜ')}`),
  invalid('an order id with a NUL byte', 'POST', () => '/v1/orders/ord_%00/cancel'),
  invalid('a listing id of another prefix', 'GET', (f) => `/v1/listings/${f.orderId}`),
  invalid('a malformed card id on withdraw', 'DELETE', (f) => `/v1/listings/${f.listingId}/cards/crd_x`),
  invalid('a seller id with spaces', 'GET', () => '/v1/sellers/a%20b'),
  invalid('a very long buyer id', 'GET', () => `/v1/buyers/${'b'.repeat(129)}`),
  // Authentication comes first: no key, no validation.
  unauthorized('no API key', { apiKey: null }),
  unauthorized('no API key on a malformed body', {
    method: 'POST',
    path: cards,
    raw: `{"cards":[{"code":"${SECRET}`,
    headers: json,
    apiKey: null,
  }),
  unauthorized('a garbage API key', { apiKey: 'garbage' }),
  unauthorized('a well-formed but unknown API key', { apiKey: WELL_FORMED_UNKNOWN_KEY }),
  unauthorized('Basic instead of Bearer', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
  // Routing.
  {
    ...noRoute('an unknown route under /v1', 'GET', () => '/v1/nothing-here'),
    status: 404,
    code: 'not-found',
  },
  { ...noRoute('an unknown route outside /v1', 'GET', () => '/admin'), status: 404, code: 'not-found' },
  { ...noRoute('PUT /v1/listings', 'PUT', listings), body: validListing },
  noRoute('DELETE /v1/orders/{id}', 'DELETE', (f) => `/v1/orders/${f.orderId}`),
];

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function send(s: TestStack, f: Fixtures, c: BadRequest): Promise<HttpResult> {
  return s.request(c.method, c.path(f), {
    ...(c.body ? { body: c.body(f) } : {}),
    ...(c.raw !== undefined ? { raw: c.raw } : {}),
    ...(c.headers ? { headers: { ...c.headers } } : {}),
    ...(c.apiKey !== undefined ? { apiKey: c.apiKey } : {}),
  });
}

function expectProblem(res: HttpResult, status: number | number[], code: string | string[]) {
  const why = `${res.status} ${res.text.slice(0, 400)}`;
  expect(res.status, why).toBeGreaterThanOrEqual(400);
  expect(res.status, why).toBeLessThan(500);
  expect(asList(status), why).toContain(res.status);
  expect(res.headers.get('content-type'), why).toMatch(/^application\/problem\+json/);
  expect(res.body.status, why).toBe(res.status);
  expect(res.body.type, why).toMatch(/\/problems\/[a-z-]+$/);
  expect(asList(code), why).toContain(String(res.body.type).split('/problems/')[1]);
  expect(typeof res.body.title, why).toBe('string');
  expect(res.text, 'a problem must never echo a submitted code').not.toContain(SECRET);
  expect(res.text).not.toMatch(/\n\s+at /); // no stack trace
}

describe('malformed requests', () => {
  const f = {} as Fixtures;

  beforeAll(async () => {
    const s = stack.current;
    const paid = await aPaidOrder(s);
    Object.assign(f, { paidOrderId: paid.orderId, buyerId: paid.buyerId });
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);
    const { orderId } = await anOrder(s, listingId);
    Object.assign(f, { listingId, orderId });
  });

  it.each(cases)('answers $name with a 4xx problem', async (c) => {
    expectProblem(await send(stack.current, f, c), c.status, c.code);
  });
});

/**
 * One request over node:http (fetch cannot pin a connection): a fresh connection per request
 * unless an agent is given, so a test of one connection's fate cannot disturb the others.
 */
function overHttp(
  s: TestStack,
  method: string,
  path: string,
  body?: string,
  agent: http.Agent | false = false,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${s.devApiKey}` };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request(new URL(path, s.apiUrl), { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, String(value));
        }
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** ~300 kB of cards, over the 256 KiB limit; every code carries the canary. */
const oversized = () =>
  JSON.stringify({
    cards: Array.from({ length: 2300 }, (_, i) => ({ code: `${SECRET}${i}${'A'.repeat(110)}` })),
  });

describe('a validation problem’s detail', () => {
  it('names what was wrong in plain words: the request body, a query, an id', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const body = await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: 12345678 }] });
    expect(body.status).toBe(400);
    expect(body.body.detail).toBe('the request body is not valid: cards.0.code must be string');
    const id = await s.get('/v1/orders/ord_bad!');
    expect(id.body.detail).toBe('the path is not valid: orderId must be an ord_ id');
    const query = await s.get(`/v1/orders/${'ord_'.padEnd(30, 'A')}/events?limit=0`);
    expect(query.body.detail).toMatch(/^the query is not valid: limit /);
  });
});

describe('a body over the size limit', () => {
  it('is refused with 413 payload-too-large and changes nothing', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const stockBefore = (await s.get(`/v1/listings/${listingId}`)).body.stock;
    const body = oversized();
    expect(Buffer.byteLength(body)).toBeGreaterThan(290_000);

    expectProblem(
      await overHttp(s, 'POST', `/v1/listings/${listingId}/cards`, body),
      413,
      'payload-too-large',
    );
    expect((await s.get(`/v1/listings/${listingId}`)).body.stock).toEqual(stockBefore);
  });

  it("does not break the client's next request on the same keep-alive connection", async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await overHttp(s, 'POST', `/v1/listings/${listingId}/cards`, oversized(), agent);
      expectProblem(refused, 413, 'payload-too-large');
      // The 413 said `Connection: keep-alive`, so a client may send its next request on that socket.
      const next = await overHttp(s, 'GET', `/v1/listings/${listingId}`, undefined, agent).catch(
        (error: NodeJS.ErrnoException) => error,
      );
      expect(next instanceof Error ? `${next.code}: ${next.message}` : next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

describe('invalid input changes nothing', () => {
  it('leaves stock unchanged after refused deposits, and stores none of their codes', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const stockBefore = (await s.get(`/v1/listings/${listingId}`)).body.stock;
    const fresh = [await mintCode(s), await mintCode(s)];

    const refused = [
      { cards: [...fresh.map((c) => ({ code: c.code })), { code: SECRET, extra: true }] },
      { cards: [...fresh.map((c) => ({ code: c.code })), { code: 'X'.repeat(129) }] },
      { cards: fresh.map((c) => ({ code: c.code, pin: 42 })) },
    ];
    for (const body of refused) {
      expectProblem(await s.post(`/v1/listings/${listingId}/cards`, body), 400, 'validation');
    }
    expect((await s.get(`/v1/listings/${listingId}`)).body.stock).toEqual(stockBefore);

    // Nothing was fingerprinted either: the same codes deposit cleanly afterwards.
    const res = await s.post(`/v1/listings/${listingId}/cards`, {
      cards: fresh.map((c) => ({ code: c.code })),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['accepted', 'accepted']);
  });

  it('reserves nothing for a refused order and changes nothing for a refused payment', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 1);
    const { orderId } = await anOrder(s, listingId);
    const stockBefore = (await s.get(`/v1/listings/${listingId}`)).body.stock;
    const eventsBefore = (await s.get(`/v1/orders/${orderId}/events`)).body.events;

    const badOrder = await s.post('/v1/orders', { listingId, buyerId: 'b1', quantity: 1.5 }, key());
    expectProblem(badOrder, 400, 'validation');
    for (const amount of [money('4500'), money(-4500), money(4500, 'eur'), money(4500.5)]) {
      expectProblem(
        await s.post(`/v1/orders/${orderId}/payment`, { paymentRef: unique('pay'), amount }),
        400,
        'validation',
      );
    }

    expect((await s.get(`/v1/listings/${listingId}`)).body.stock).toEqual(stockBefore);
    const order = await s.get(`/v1/orders/${orderId}`);
    expect(order.body.state).toBe('pending_payment');
    expect(order.body.refundDue).toBeUndefined();
    expect((await s.get(`/v1/orders/${orderId}/events`)).body.events).toEqual(eventsBefore);
  });

  it('reveals nothing for a refused reveal: the buyer can still reveal once', async () => {
    const s = stack.current;
    const { orderId, buyerId } = await aPaidOrder(s);
    const refused = await s.post(`/v1/orders/${orderId}/reveal`, { buyerId, extra: 1 }, key());
    expectProblem(refused, 400, 'validation');
    expect((await s.get(`/v1/orders/${orderId}`)).body.state).toBe('paid');
    const res = await s.post(`/v1/orders/${orderId}/reveal`, { buyerId }, key());
    expect(res.status, res.text).toBe(200);
  });
});

describe('the logs of every refusal above', () => {
  it('never contain a submitted code', () => {
    expect(stack.current.logs.length).toBeGreaterThan(0);
    expect(stack.current.logs.filter((line) => line.includes(SECRET))).toEqual([]);
  });
});
