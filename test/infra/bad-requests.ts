import type { FunctionName } from '../../infra/function-specs.js';

/**
 * Bad requests for the HTTP functions, each sent to the function API Gateway routes it to. The
 * bundles validate with shared/http/openapi-lite.ts, the local app with @hono/zod-openapi: the
 * answers must be the same (bundling.test.ts). Ids are well formed and unknown unless a case
 * is about the id.
 */
export interface BadRequest {
  readonly name: string;
  readonly fn: Exclude<FunctionName, 'sweeper'>;
  readonly method: string;
  readonly path: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json` (unless `headers` says otherwise). */
  readonly body?: unknown;
  /** Sent as is, with only the headers given. */
  readonly raw?: string;
}

/** In bodies that carry a code: no answer may contain it. */
export const SECRET = 'LEAKCANARY7Q9X';

const ORDER = 'ord_01JD0000000000000000000000';
const LISTING = 'lst_01JD0000000000000000000000';
const json = { 'content-type': 'application/json' };
const key = { 'idempotency-key': 'bad-input-1' };
const revealPath = `/v1/orders/${ORDER}/reveal`;
const reveal = (name: string, extra: Partial<BadRequest>): BadRequest => ({
  name: `reveal: ${name}`,
  fn: 'reveal',
  method: 'POST',
  path: revealPath,
  headers: { ...json, ...key },
  ...extra,
});
const money = (amount: unknown) => ({ amount, currency: 'EUR' });

export const BAD_REQUESTS: readonly BadRequest[] = [
  reveal('malformed JSON', { raw: '{"buyerId":' }),
  reveal('an empty JSON body', { raw: '' }),
  reveal('a JSON array', { raw: '[]' }),
  reveal('a text/plain body', {
    headers: { 'content-type': 'text/plain', ...key },
    raw: '{"buyerId":"b-1"}',
  }),
  reveal('a body without a Content-Type', { headers: key, raw: '{"buyerId":"b-1"}' }),
  reveal('no body and no Content-Type', { headers: key }),
  reveal('a malformed media-type parameter', {
    headers: { 'content-type': 'application/json; charset', ...key },
    raw: '{"buyerId":"b-1"}',
  }),
  reveal('JSON with a charset, unknown order', {
    headers: { 'content-type': 'application/json; charset=utf-8', ...key },
    raw: '{"buyerId":"b-1"}',
  }),
  reveal('a +json media type, unknown order', {
    headers: { 'content-type': 'application/vnd.api+json', ...key },
    raw: '{"buyerId":"b-1"}',
  }),
  reveal('a malformed order id', { path: '/v1/orders/ord_nope/reveal', raw: '{"buyerId":"b-1"}' }),
  reveal('a code pasted as the order id', { path: `/v1/orders/${SECRET}/reveal`, raw: '{"buyerId":"b-1"}' }),
  reveal('a number for buyerId', { body: { buyerId: 5 } }),
  reveal('an unknown key (a code)', { body: { buyerId: 'b-1', [SECRET]: true } }),
  reveal('no Idempotency-Key', { headers: json, body: { buyerId: 'b-1' } }),
  reveal('an Idempotency-Key too long', {
    headers: { ...json, 'idempotency-key': 'k'.repeat(300) },
    body: { buyerId: 'b-1' },
  }),
  reveal('a body over the limit', { body: { buyerId: 'b-1', pad: 'x'.repeat(300 * 1024) } }),
  {
    name: 'report: every field wrong',
    fn: 'reveal',
    method: 'POST',
    path: `/v1/orders/${ORDER}/reports`,
    body: { buyerId: '', cardId: 'crd_bad', reason: 'broken' },
  },
  {
    name: 'deposit: no cards',
    fn: 'deposit',
    method: 'POST',
    path: `/v1/listings/${LISTING}/cards`,
    body: { cards: [] },
  },
  {
    name: 'deposit: 501 cards',
    fn: 'deposit',
    method: 'POST',
    path: `/v1/listings/${LISTING}/cards`,
    body: { cards: Array.from({ length: 501 }, (_, i) => ({ code: `CODE-${i}` })) },
  },
  {
    name: 'deposit: an unknown key beside a code',
    fn: 'deposit',
    method: 'POST',
    path: `/v1/listings/${LISTING}/cards`,
    body: { cards: [{ code: SECRET, [SECRET]: 1 }] },
  },
  {
    name: 'deposit: form encoded',
    fn: 'deposit',
    method: 'POST',
    path: `/v1/listings/${LISTING}/cards`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    raw: `cards=${SECRET}`,
  },
  {
    name: 'withdraw: a malformed card id',
    fn: 'deposit',
    method: 'DELETE',
    path: `/v1/listings/${LISTING}/cards/crd_x`,
  },
  {
    name: 'listing: malformed JSON',
    fn: 'api',
    method: 'POST',
    path: '/v1/listings',
    headers: json,
    raw: '{"sellerId":"s-1",}',
  },
  {
    name: 'listing: a fractional amount and a bidi override in the title',
    fn: 'api',
    method: 'POST',
    path: '/v1/listings',
    body: {
      sellerId: 's-1',
      brand: 'demo-gift',
      faceValue: money(10.5),
      price: money(900),
      title: 'gift\u202ecard',
    },
  },
  { name: 'escalations: limit=abc', fn: 'api', method: 'GET', path: '/v1/escalations', query: 'limit=abc' },
  { name: 'escalations: limit=0', fn: 'api', method: 'GET', path: '/v1/escalations', query: 'limit=0' },
  {
    name: 'escalations: limit twice',
    fn: 'api',
    method: 'GET',
    path: '/v1/escalations',
    query: 'limit=5&limit=6',
  },
  {
    name: 'order: no Idempotency-Key',
    fn: 'api',
    method: 'POST',
    path: '/v1/orders',
    body: { listingId: LISTING, buyerId: 'b-1' },
  },
  {
    name: 'order: quantity 0 and an unknown key',
    fn: 'api',
    method: 'POST',
    path: '/v1/orders',
    headers: { ...json, ...key },
    body: { listingId: LISTING, buyerId: 'b-1', quantity: 0, extra: true },
  },
  { name: 'seller: a malformed seller id', fn: 'api', method: 'GET', path: '/v1/sellers/bad%20id' },
  {
    name: 'settle: an unknown outcome',
    fn: 'api',
    method: 'POST',
    path: '/v1/escalations/rpt_01JD0000000000000000000000/settle',
    body: { outcome: 'maybe', note: 'n', decidedBy: 'op' },
  },
  {
    name: 'payment: a text/plain body',
    fn: 'api',
    method: 'POST',
    path: `/v1/orders/${ORDER}/payment`,
    headers: { 'content-type': 'text/plain' },
    raw: 'paid',
  },
];
