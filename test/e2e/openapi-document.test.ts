import { randomBytes } from 'node:crypto';
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
  parameters?: Array<{ in: string; name: string; schema?: { pattern?: string } }>;
  requestBody?: unknown;
  security?: unknown[];
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

  it('declares 401 on exactly the operations that ask for an API key', () => {
    const asked = operations().filter(({ op }) => op.security?.length !== 0);
    const open = operations().filter(({ op }) => op.security?.length === 0);
    expect(open.map(({ method, path }) => `${method} ${path}`)).toEqual(['get /health']);
    for (const { method, path, op } of asked) expect(op.responses['401'], `${method} ${path}`).toBeDefined();
    for (const { method, path, op } of open) expect(op.responses['401'], `${method} ${path}`).toBeUndefined();
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
  const unknownId = (prefix: string) => `${prefix}${'0'.repeat(26)}`;
  const fill = (path: string, value: (name: string) => string) =>
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

  /** Every path parameter of the document, with the pattern it declares (every one declares one). */
  const pathParameters = () =>
    operations().flatMap(({ method, path, op }) =>
      [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
        const declared = op.parameters?.find((p) => p.in === 'path' && p.name === name);
        return { method, path, op, name: name as string, pattern: declared?.schema?.pattern };
      }),
    );
  /** The prefix a vault id declares (`^whk_[0-9A-HJKMNP-TV-Z]{26}$` -> `whk_`); none for a marketplace's own ids. */
  const prefixOf = (pattern: string | undefined) => /^\^([a-z]+_)\[/.exec(pattern ?? '')?.[1];
  const wellFormed = (pattern: string | undefined) => {
    const prefix = prefixOf(pattern);
    // An API key id: 16 hex digits, no prefix.
    if (pattern === '^[a-f0-9]{16}$') return randomBytes(8).toString('hex');
    return prefix ? unknownId(prefix) : unique('m');
  };
  const MALFORMED = '-not-an-id';

  it('answers 400 validation to each malformed path parameter of every operation, naming it', async () => {
    const params = pathParameters();
    for (const { method, path, name, pattern } of params) {
      expect(pattern, `${method} ${path} {${name}} declares no pattern`).toBeDefined();
      expect(new RegExp(pattern as string).test(MALFORMED), `${name}`).toBe(false);
      expect(new RegExp(pattern as string).test(wellFormed(pattern)), `${name}`).toBe(true);
    }
    // Every kind of id the document names, vault ids and a marketplace's own alike.
    expect(new Set(params.map((p) => p.name))).toEqual(
      new Set([
        'listingId',
        'cardId',
        'orderId',
        'sellerId',
        'buyerId',
        'reportId',
        'endpointId',
        'eventId',
        'linkId',
        'keyId',
      ]),
    );
    for (const { method, path, op, name } of params) {
      // Only this parameter is malformed; the others are well formed, so the 400 is about it.
      const url = fill(path, (n) =>
        n === name ? MALFORMED : wellFormed(pathParameters().find((p) => p.name === n)?.pattern),
      );
      const malformed = await stack.current.request(
        method.toUpperCase(),
        url,
        op.requestBody ? { body: {} } : {},
      );
      const where = `${method} ${path} with {${name}} malformed`;
      expect([malformed.status, malformed.body.type], where).toEqual([
        400,
        expect.stringMatching(/validation$/),
      ]);
      expect(malformed.body.errors, where).toContainEqual(expect.objectContaining({ path: name }));
    }
  });

  it('answers 404 not-found to an unknown vault id on every operation that looks one up', async () => {
    const lookups = operations().filter(
      (o) =>
        (!o.op.requestBody || o.method === 'delete') &&
        pathParameters().some((p) => p.path === o.path && p.method === o.method && prefixOf(p.pattern)),
    );
    expect(lookups.length).toBeGreaterThanOrEqual(12);
    for (const { method, path, op } of lookups) {
      const unknown = await stack.current.request(
        method.toUpperCase(),
        fill(path, (n) => wellFormed(pathParameters().find((p) => p.name === n)?.pattern)),
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
