import { beforeAll, describe, expect, it } from 'vitest';
import { aPaidOrder, reveal, unique } from '../support/scenario.js';
import { type HttpResult, useTestStack } from '../support/test-stack.js';

/** The HTTP contract (README "The API") as the running stack serves and documents it. */
const stack = useTestStack();

/** Every operation of the README's API table, with its documented success status. */
const contract: Array<[method: string, path: string, success: string]> = [
  ['post', '/v1/listings', '201'],
  ['get', '/v1/listings/{listingId}', '200'],
  ['post', '/v1/listings/{listingId}/cards', '200'],
  ['delete', '/v1/listings/{listingId}/cards/{cardId}', '200'],
  ['post', '/v1/orders', '201'],
  ['get', '/v1/orders/{orderId}', '200'],
  ['post', '/v1/orders/{orderId}/payment', '200'],
  ['post', '/v1/orders/{orderId}/cancel', '200'],
  ['post', '/v1/orders/{orderId}/reveal', '200'],
  ['post', '/v1/orders/{orderId}/confirm', '200'],
  ['post', '/v1/orders/{orderId}/reports', '201'],
  ['get', '/v1/orders/{orderId}/events', '200'],
  ['get', '/v1/sellers/{sellerId}', '200'],
  ['get', '/v1/buyers/{buyerId}', '200'],
  ['post', '/v1/webhook-endpoints', '201'],
  ['get', '/v1/webhook-endpoints', '200'],
  ['get', '/v1/webhook-endpoints/{endpointId}', '200'],
  ['patch', '/v1/webhook-endpoints/{endpointId}', '200'],
  ['delete', '/v1/webhook-endpoints/{endpointId}', '204'],
  ['post', '/v1/webhook-endpoints/{endpointId}/roll-secret', '200'],
  ['post', '/v1/orders/{orderId}/reveal-links', '201'],
  ['post', '/v1/listings/{listingId}/deposit-links', '201'],
  ['get', '/v1/links/{linkId}', '200'],
  ['delete', '/v1/links/{linkId}', '200'],
];

interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

describe('GET /health', () => {
  it('answers 200 without an API key', async () => {
    const res = await stack.current.request('GET', '/health', { apiKey: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up' } });
  });
});

describe('GET /openapi.json', () => {
  let doc: HttpResult;
  const operation = (method: string, path: string): Operation | undefined => doc.body.paths?.[path]?.[method];

  beforeAll(async () => {
    doc = await stack.current.request('GET', '/openapi.json', { apiKey: null });
  });

  it('is an OpenAPI 3.1 document, served without an API key', () => {
    expect(doc.status, doc.text.slice(0, 300)).toBe(200);
    expect(doc.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.body.openapi).toMatch(/^3\.1\./);
    expect(doc.body.info?.title).toBe('card-vault');
  });

  it('declares a Bearer (HTTP bearer) security scheme', () => {
    const schemes = doc.body.components?.securitySchemes ?? {};
    expect(schemes.Bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it.each(contract)('documents %s %s, Bearer-secured, succeeding with %s', (method, path, success) => {
    const op = operation(method, path);
    expect(op, `${method.toUpperCase()} ${path} is missing from /openapi.json`).toBeDefined();
    expect(op?.security).toContainEqual({ Bearer: [] });
    expect(Object.keys(op?.responses ?? {})).toContain(success);
    expect(Object.keys(op?.responses ?? {})).toContain('401');
    // Every path template variable is a declared, required path parameter.
    const pathParams = (op?.parameters ?? []).filter((p) => p.in === 'path');
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
      expect(pathParams).toContainEqual(expect.objectContaining({ name, required: true }));
    }
    // Errors are documented as RFC 9457 problems.
    for (const [status, response] of Object.entries(op?.responses ?? {})) {
      if (Number(status) >= 400)
        expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
    }
  });

  it.each([
    ['post', '/v1/orders'],
    ['post', '/v1/orders/{orderId}/reveal'],
  ])('requires the Idempotency-Key header on %s %s', (method, path) => {
    const headers = (operation(method, path)?.parameters ?? []).filter((p) => p.in === 'header');
    expect(headers).toContainEqual(expect.objectContaining({ required: true }));
    expect(headers.map((h) => h.name.toLowerCase())).toContain('idempotency-key');
  });

  it('documents the Location of a registered webhook endpoint', () => {
    const created = operation('post', '/v1/webhook-endpoints')?.responses['201'];
    expect(Object.keys(created?.headers ?? {}).map((h) => h.toLowerCase())).toContain('location');
  });

  it('documents Cache-Control: no-store on the reveal', () => {
    const ok = operation('post', '/v1/orders/{orderId}/reveal')?.responses['200'];
    expect(Object.keys(ok?.headers ?? {}).map((h) => h.toLowerCase())).toContain('cache-control');
  });
});

describe('POST /v1/orders/{orderId}/reveal', () => {
  it('sends Cache-Control: no-store with the codes, on a retry, and on a refusal', async () => {
    const s = stack.current;
    const { orderId, buyerId } = await aPaidOrder(s);
    const key = unique('reveal');

    const first = await reveal(s, orderId, buyerId, key);
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');

    const retry = await reveal(s, orderId, buyerId, key);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('cache-control')).toBe('no-store');

    const refused = await reveal(s, orderId, buyerId, unique('reveal'));
    expect(refused.status, refused.text).toBe(409);
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});
