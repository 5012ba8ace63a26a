import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_BASE } from '../../shared/http/problem-types.js';
import { aRevealedOrder, expectProblem, redeemAtTime, report } from '../support/fraud-helpers.js';
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
  ['get', '/v1/links', '200'],
  ['get', '/v1/links/{linkId}', '200'],
  ['delete', '/v1/links/{linkId}', '200'],
  ['get', '/v1/escalations', '200'],
  ['post', '/v1/escalations/{reportId}/settle', '200'],
  ['get', '/v1/sellers/{sellerId}/events', '200'],
  ['post', '/v1/sellers/{sellerId}/reinstate', '200'],
  ['post', '/v1/sellers/{sellerId}/review', '200'],
  ['post', '/v1/sellers/{sellerId}/unlock-deposits', '200'],
  ['get', '/v1/webhook-endpoints/{endpointId}/deliveries', '200'],
  ['post', '/v1/webhook-endpoints/{endpointId}/deliveries/{eventId}/send-again', '200'],
  ['get', '/v1/orders/{orderId}/evidence', '200'],
  ['get', '/v1/evidence-keys', '200'],
  ['post', '/v1/api-keys', '201'],
  ['get', '/v1/api-keys', '200'],
  ['delete', '/v1/api-keys/{keyId}', '200'],
  ['get', '/health', '200'],
];

/** Operations open without an API key. */
const unsecured = new Set(['get /health']);

/**
 * The API reference's table (docs/api.md, generated from the document): method, path (its
 * `{id}`s as `{}`) and the problem codes it names for the route. The README links to it.
 */
const readmeTable = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')
  .split('\n')
  .flatMap((line) => {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const route = /^(GET|POST|PATCH|PUT|DELETE) (\/\S*)/.exec(cells[1] ?? '');
    if (!route || cells.length < 7) return [];
    const codes = (cells[5] ?? '')
      .replace(/\([^)]*\)/g, '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    return [{ operation: `${route[1]?.toLowerCase()} ${shape(route[2] as string)}`, codes }];
  })
  .filter((row) => row.operation !== 'get /openapi.json');

/** A path with its parameters unnamed: `/v1/orders/{orderId}` and `/v1/orders/{id}` are one path. */
function shape(path: string): string {
  return path.split('?')[0]?.replace(/\{\w+\}/g, '{}') ?? path;
}

interface Problem {
  schema?: { allOf?: Array<{ properties?: { type?: { enum?: string[] } } }> };
}
interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, Problem>; headers?: Record<string, unknown> }>;
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

  const documented = () =>
    Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );

  it('has a case above for every operation it documents, and documents every case', () => {
    expect(contract.map(([method, path]) => `${method} ${path}`).sort()).toEqual(documented().sort());
  });

  it('documents every operation of the API reference, and the reference lists every documented one', () => {
    expect(readmeTable.map((row) => row.operation).sort()).toEqual(
      documented()
        .map((o) => o.replace(/ (\S+)$/, (_, path: string) => ` ${shape(path)}`))
        .sort(),
    );
  });

  it.each(contract)('documents %s %s, Bearer-secured, succeeding with %s', (method, path, success) => {
    const op = operation(method, path);
    expect(op, `${method.toUpperCase()} ${path} is missing from /openapi.json`).toBeDefined();
    expect(Object.keys(op?.responses ?? {})).toContain(success);
    // A route that asks for no key never answers 401, so it does not declare one.
    if (unsecured.has(`${method} ${path}`)) {
      expect(op?.security).toEqual([]);
      expect(Object.keys(op?.responses ?? {})).not.toContain('401');
    } else {
      // Bearer, one alternative per scope that will do: `read` (first) or the area's for a GET.
      const scopes = (op?.security ?? []).map((s) => {
        expect(Object.keys(s)).toEqual(['Bearer']);
        expect(s.Bearer).toHaveLength(1);
        return s.Bearer?.[0];
      });
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes.includes('read')).toBe(method === 'get');
      if (method === 'get') expect(scopes[0]).toBe('read');
      expect(Object.keys(op?.responses ?? {})).toContain('401');
      expect(Object.keys(op?.responses ?? {})).toContain('403');
    }
    // Every problem code the reference names for the route is declared on it (and, by
    // test/unit/api-reference.test.ts, every declared one is named there or in the README's list).
    const declared = Object.values(op?.responses ?? {}).flatMap((r) =>
      (r.content?.['application/problem+json']?.schema?.allOf ?? []).flatMap((m) =>
        (m.properties?.type?.enum ?? []).map((uri) => uri.slice(PROBLEM_BASE.length)),
      ),
    );
    const row = readmeTable.find((r) => r.operation === `${method} ${shape(path)}`);
    expect(row, `${method} ${path} in docs/api.md`).toBeDefined();
    for (const code of row?.codes ?? []) expect(declared, `${method} ${path}`).toContain(code);
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

describe('the escalation, seller and delivery routes, sent their failures', () => {
  const unknownId = (prefix: string) => `${prefix}${'0'.repeat(26)}`;
  const settlement = { outcome: 'refund', note: 'checked with the shop', decidedBy: 'agent-1' };
  const operator = { note: 'cleared by the dispute desk', decidedBy: 'agent-1' };

  it('GET /v1/escalations refuses a malformed cursor or limit', async () => {
    const s = stack.current;
    expect((await s.get('/v1/escalations')).status).toBe(200);
    expectProblem(await s.get('/v1/escalations?cursor=not-a-cursor'), 400, 'validation');
    expectProblem(await s.get('/v1/escalations?limit=0'), 400, 'validation');
    expectProblem(await s.get('/v1/escalations?limit=many'), 400, 'validation');
  });

  it('POST /v1/escalations/{reportId}/settle: an unknown report, a decided one, a bad settlement', async () => {
    const s = stack.current;
    expectProblem(await s.post(`/v1/escalations/${unknownId('rpt_')}/settle`, settlement), 404, 'not-found');
    // Redeemed an hour before the reveal: the report is decided (refunded) at once, never open.
    const { orderId, buyerId, card, revealedAt } = await aRevealedOrder(s);
    await redeemAtTime(s, card.code, Date.parse(revealedAt) - 3_600_000);
    const decided = await report(s, orderId, buyerId, card.cardId);
    expect(decided.body.decision, decided.text).toBe('refunded');
    const settle = `/v1/escalations/${decided.body.reportId}/settle`;
    expectProblem(await s.post(settle, settlement), 409, 'report-not-open');
    expectProblem(await s.post(settle, { ...settlement, outcome: 'maybe' }), 400, 'validation');
    expectProblem(await s.post(settle, { outcome: 'refund' }), 400, 'validation');
  });

  it('GET /v1/sellers/{sellerId}/events refuses a malformed seller id', async () => {
    const s = stack.current;
    expect((await s.get(`/v1/sellers/${unique('seller')}/events`)).status).toBe(200);
    expectProblem(await s.get('/v1/sellers/-not-an-id/events'), 400, 'validation');
  });

  it('POST /v1/sellers/{sellerId}/reinstate refuses an active seller and a missing note', async () => {
    const s = stack.current;
    const { sellerId } = await aPaidOrder(s);
    expectProblem(await s.post(`/v1/sellers/${sellerId}/reinstate`, operator), 409, 'invalid-state');
    expectProblem(
      await s.post(`/v1/sellers/${sellerId}/reinstate`, { decidedBy: 'agent-1' }),
      400,
      'validation',
    );
    expectProblem(await s.post('/v1/sellers/-not-an-id/reinstate', operator), 400, 'validation');
  });

  it('POST /v1/sellers/{sellerId}/unlock-deposits refuses a seller not locked and a missing note', async () => {
    const s = stack.current;
    const { sellerId } = await aPaidOrder(s);
    expectProblem(await s.post(`/v1/sellers/${sellerId}/unlock-deposits`, operator), 409, 'invalid-state');
    expectProblem(
      await s.post(`/v1/sellers/${sellerId}/unlock-deposits`, { decidedBy: 'agent-1' }),
      400,
      'validation',
    );
    expectProblem(await s.post('/v1/sellers/-not-an-id/unlock-deposits', operator), 400, 'validation');
  });

  it('POST /v1/sellers/{sellerId}/review refuses a seller not under review, an unknown outcome and a missing note', async () => {
    const s = stack.current;
    const { sellerId } = await aPaidOrder(s);
    const cleared = { outcome: 'cleared', ...operator };
    expectProblem(await s.post(`/v1/sellers/${sellerId}/review`, cleared), 409, 'invalid-state');
    expectProblem(
      await s.post(`/v1/sellers/${sellerId}/review`, { ...operator, outcome: 'forgiven' }),
      400,
      'validation',
    );
    expectProblem(
      await s.post(`/v1/sellers/${sellerId}/review`, { outcome: 'cleared', decidedBy: 'agent-1' }),
      400,
      'validation',
    );
    expectProblem(await s.post('/v1/sellers/-not-an-id/review', cleared), 400, 'validation');
  });

  it("GET and send-again of an endpoint's deliveries: unknown endpoint or event, a bad cursor", async () => {
    const s = stack.current;
    const registered = await s.post('/v1/webhook-endpoints', {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['*'],
    });
    expect(registered.status, registered.text).toBe(201);
    const mine = `/v1/webhook-endpoints/${registered.body.endpointId}/deliveries`;
    const unknown = `/v1/webhook-endpoints/${unknownId('whk_')}/deliveries`;
    expect((await s.get(mine)).body).toMatchObject({ deliveries: [] });
    expectProblem(await s.get(unknown), 404, 'not-found');
    expectProblem(await s.get(`${mine}?cursor=not-a-cursor`), 400, 'validation');
    expectProblem(await s.post(`${mine}/${unknownId('evt_')}/send-again`), 404, 'not-found');
    expectProblem(await s.post(`${unknown}/${unknownId('evt_')}/send-again`), 404, 'not-found');
    expectProblem(await s.post(`${mine}/not-an-event/send-again`), 400, 'validation');
  });

  // Its 503 dependency-unavailable, with `checks`, is sent in database-outage.test.ts.
  it('GET /health answers without asking for a key, even a wrong one', async () => {
    const res = await stack.current.request('GET', '/health', { apiKey: 'not-a-key' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up' } });
  });
});
