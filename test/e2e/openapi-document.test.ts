import { createConfig, lintFromString } from '@redocly/openapi-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/http/openapi-document.js';
import { DeclaredResponses } from '../support/declared-responses.js';
import { aPaidOrder, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * Issue 9 item 6: a document a marketplace can generate a client from alone. Redocly's
 * recommended rules pass; every operation is named, summarised and tagged; and every failure a
 * route answers is declared for that route, status and problem code (the test stack holds every
 * answer of every end-to-end test to the document; this file sends each route its failures).
 */
const stack = useTestStack();

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
let doc: { paths: Record<string, Record<string, Operation>>; servers?: unknown[] };
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method, path, op })),
  );

beforeAll(async () => {
  doc = (await stack.current.request('GET', '/openapi.json', { apiKey: null })).body;
});

describe('the document', () => {
  it("passes Redocly's recommended rules, errors and warnings alike", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const found = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: 'openapi.json',
      config,
    });
    expect(found.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual(
      [],
    );
  });

  it('names, summarises and tags every operation, with unique operationIds', () => {
    const ids = operations().map(({ op }) => op.operationId);
    for (const { method, path, op } of operations()) {
      expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('is the document `npm run openapi` prints, built without a running vault', async () => {
    expect(await openApiDocument()).toEqual(doc);
  });

  it('declares, on every operation, the problems any route may send, with Retry-After where sent', () => {
    for (const { method, path, op } of operations()) {
      for (const status of ['409', '500', '503', '413']) {
        expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
      }
      const unavailable = op.responses['503'] as { headers?: Record<string, unknown> };
      expect(Object.keys(unavailable.headers ?? {}), `${method} ${path}`).toContain('Retry-After');
    }
  });
});

describe('the contract check itself', () => {
  const checker = new DeclaredResponses({
    paths: {
      '/v1/things/{id}': {
        get: {
          responses: {
            '200': {},
            '404': {
              content: {
                'application/problem+json': {
                  schema: {
                    allOf: [
                      { $ref: '#/components/schemas/Problem' },
                      { properties: { type: { enum: ['https://card-vault.example/problems/not-found'] } } },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    },
  });
  const problem = (code: string) => ({ type: `https://card-vault.example/problems/${code}` });

  it('accepts declared answers and paths no operation serves', () => {
    expect(checker.violation('GET', '/v1/things/1', 200, {})).toBeUndefined();
    expect(checker.violation('GET', '/v1/things/1?x=1', 404, problem('not-found'))).toBeUndefined();
    expect(checker.violation('PUT', '/v1/things/1', 404, problem('not-found'))).toBeUndefined();
  });

  it('refuses an undeclared status, and an undeclared code of a declared status', () => {
    expect(checker.violation('GET', '/v1/things/1', 409, problem('invalid-state'))).toMatch(/409/);
    expect(checker.violation('GET', '/v1/things/1', 404, problem('order-expired'))).toMatch(/order-expired/);
  });
});

describe('each route, sent its failures, answers only what it declares', () => {
  // A request that breaks the document throws in the stack's request(); these assert the code too.
  const ids = { listingId: 'lst_', orderId: 'ord_', cardId: 'crd_', reportId: 'rpt_' } as const;
  const unknownId = (prefix: string) => `${prefix}${'0'.repeat(26)}`;
  const fill = (path: string, value: (name: keyof typeof ids | string) => string) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));

  it('answers 401 unauthorized on every /v1 operation without an API key', async () => {
    for (const { method, path } of operations().filter((o) => o.path.startsWith('/v1'))) {
      const res = await stack.current.request(
        method.toUpperCase(),
        fill(path, (n) => `x-${n}`),
        {
          apiKey: null,
        },
      );
      expect(res.body.type, `${method} ${path}`).toMatch(/unauthorized$/);
    }
  });

  it('answers 400 validation to a malformed path id, and 404 not-found to an unknown one', async () => {
    const withVaultIds = operations().filter((o) => /\{(listingId|orderId|cardId|reportId)\}/.test(o.path));
    expect(withVaultIds.length).toBeGreaterThan(8);
    for (const { method, path, op } of withVaultIds) {
      const body = op.requestBody ? { body: {} } : {};
      const malformed = await stack.current.request(
        method.toUpperCase(),
        fill(path, () => 'not-an-id'),
        body,
      );
      expect([malformed.status, malformed.body.type], `${method} ${path}`).toEqual([
        400,
        expect.stringMatching(/validation$/),
      ]);
    }
    for (const { method, path, op } of withVaultIds.filter(
      (o) => !o.op.requestBody || o.method === 'delete',
    )) {
      const unknown = await stack.current.request(
        method.toUpperCase(),
        fill(path, (n) => unknownId(ids[n as keyof typeof ids] ?? 'x_')),
        op.requestBody ? { body: {} } : {},
      );
      expect([unknown.status, unknown.body.type], `${method} ${path}`).toEqual([
        404,
        expect.stringMatching(/not-found$/),
      ]);
    }
  });

  it('answers malformed-json, unsupported-media-type and payload-too-large on every body operation', async () => {
    const { orderId } = await aPaidOrder(stack.current);
    const withBody = operations().filter((o) => o.op.requestBody);
    expect(withBody.length).toBeGreaterThan(8);
    const idOf = (name: string) =>
      name === 'orderId' ? orderId : name === 'sellerId' ? unique('s') : `x-${name}`;
    const headers = { 'idempotency-key': unique('k') };
    for (const { method, path } of withBody) {
      const url = fill(path, idOf);
      const bad = await stack.current.request(method.toUpperCase(), url, {
        raw: '{"a":',
        headers: { ...headers, 'content-type': 'application/json' },
      });
      expect(bad.body.type, `${method} ${path}`).toMatch(/(malformed-json|validation)$/);
      const text = await stack.current.request(method.toUpperCase(), url, {
        raw: 'hello',
        headers: { ...headers, 'content-type': 'text/plain' },
      });
      expect(text.body.type, `${method} ${path}`).toMatch(/(unsupported-media-type|validation)$/);
      const big = await stack.current.request(method.toUpperCase(), url, {
        raw: `{"x":"${'a'.repeat(300 * 1024)}"}`,
        headers: { ...headers, 'content-type': 'application/json' },
      });
      expect([big.status, big.body.type], `${method} ${path}`).toEqual([
        413,
        expect.stringMatching(/payload-too-large$/),
      ]);
    }
  });

  it('names the occurrence in `instance` (a URN), and the request log line carries the same id', async () => {
    const res = await stack.current.request('GET', `/v1/orders/${unknownId('ord_')}`);
    expect(res.status).toBe(404);
    expect(res.body.instance).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const requestId = String(res.body.instance).slice('urn:uuid:'.length);
    const line = stack.current.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId);
    expect(line).toMatchObject({ msg: 'request', route: '/v1/orders/:orderId', status: 404 });
  });
});
