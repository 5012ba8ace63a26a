import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ESBUILD, LAMBDA_NODE_MAJOR, lambdaBundling } from '../../infra/bundling.js';
import { PRIVILEGED_ROUTES, routeKey, VAULT_ROUTES } from '../../infra/constructs/vault-http-api.js';
import { FUNCTION_SPECS, type FunctionName, type WebhookFunctionName } from '../../infra/function-specs.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { ENV } from '../../shared/config/env-names.js';
import { defaultWebhookSettings } from '../../shared/domain/webhook-settings.js';
import { PROBLEM_BASE } from '../../shared/http/problem-types.js';
import { systemClock } from '../../shared/ports/clock.js';
import { TenantService } from '../../shared/services/tenant-service.js';
import { DISPATCH_RUN } from '../../shared/services/webhook-dispatch-run.js';
import { useTestTable } from '../support/dynamo.js';
import { useTestStack } from '../support/test-stack.js';
import { aLoopbackEndpointAndTrailItem } from '../support/webhook-fixtures.js';
import { BAD_REQUESTS, SECRET } from './bad-requests.js';
import { httpApiEvent, invokeBundle, invokeBundleEach, scheduledEvent } from './invoke-bundle.js';
import { type Synthesized, synth } from './synth.js';

// The infra test that runs esbuild on the real entries, as `cdk synth` does, then runs the bundles.
let s: Synthesized;
beforeAll(() => {
  s = synth('prod', 'bundle');
}, 120_000);
afterAll(() => s?.cleanup());

const NAMES: FunctionName[] = ['api', 'deposit', 'reveal', 'sweeper'];
const bundleDir = (name: FunctionName) => {
  const id = s.stack.getLogicalId(s.stack.functions.all[name].fn.node.defaultChild as CfnFunction);
  const key: string = s.template.findResources('AWS::Lambda::Function')[id]?.Properties.Code.S3Key;
  return join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`);
};
const bundle = (name: FunctionName) => readFileSync(join(bundleDir(name), 'index.mjs'), 'utf8');
type LambdaResponse = { statusCode: number; headers: Record<string, string>; body: string };
type OpenApiDocument = { paths: Record<string, Record<string, unknown>> };
/** The KMS client's JSON protocol target prefix: present iff the KMS client is bundled. */
const KMS_CLIENT_MARKER = 'TrentService';

describe('Lambda bundles', () => {
  it('are one minified ES module with an external source map per function', () => {
    for (const name of NAMES) {
      expect(existsSync(join(bundleDir(name), 'index.mjs.map'))).toBe(true);
      const code = bundle(name);
      expect(code.startsWith("import { createRequire as __cvRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // Minified: a few very long lines (template literals keep their own line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    }
  });

  it('carry their dependencies, the AWS SDK included: only Node built-ins stay external', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const name of NAMES) {
      // Static imports; the SDK's lazy optional require of the CRT signer (SigV4a) is not one.
      const specifiers = [
        ...bundle(name).matchAll(
          /\bimport\s*(?:\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+)\s*from\s*["']([^"']+)["']/g,
        ),
      ].map((m) => m[1]);
      expect(specifiers.length).toBeGreaterThan(0);
      expect(specifiers.filter((spec) => spec !== undefined && !builtins.has(spec))).toEqual([]);
    }
  });

  it('carry only the use cases of their own routes (one composition root, sliced per function)', () => {
    // A log or error text only each service writes: present in its own bundle, absent elsewhere.
    const markers: Record<FunctionName, string> = {
      api: 'not enough cards in stock',
      deposit: 'issuer unreachable during deposit',
      reveal: 'issuer unreachable before reveal',
      sweeper: 'sweep done',
    };
    for (const name of NAMES) {
      for (const [owner, marker] of Object.entries(markers)) {
        expect({ name, owner, has: bundle(name).includes(marker) }).toEqual({
          name,
          owner,
          has: owner === name,
        });
      }
    }
  });

  it('are built for the runtime every function deploys on (esbuild node24, nodejs24.x), and run on this Node too', () => {
    expect(ESBUILD.target).toBe(`node${LAMBDA_NODE_MAJOR}`);
    expect(lambdaBundling(FUNCTION_SPECS.api).target).toBe('node24');
    const runtimes = Object.values(s.template.findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.Runtime,
    );
    expect(runtimes).toHaveLength(6);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
    // The tests below import and run these bundles in this process's Node (20 here and on CI):
    // esbuild only lowers syntax for a target, so the node24 bundles run wherever the source does.
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
  });

  it('carry no OpenAPI generator and no zod locale but the default (English) one', () => {
    // @hono/zod-openapi is aliased to openapi-lite: a message of the generator's, and of zod's German locale.
    for (const name of NAMES) {
      expect({ name, generator: bundle(name).includes('Enum has mixed string and number values') }).toEqual({
        name,
        generator: false,
      });
      expect({ name, locales: bundle(name).includes('Ungültige Eingabe') }).toEqual({ name, locales: false });
    }
  });

  it('give the KMS client only to the functions allowed to use KMS', () => {
    expect(bundle('deposit')).toContain(KMS_CLIENT_MARKER);
    expect(bundle('reveal')).toContain(KMS_CLIENT_MARKER);
    // The api function signs evidence bundles (kms:Sign on the evidence key, access-control.test.ts).
    expect(bundle('api')).toContain(KMS_CLIENT_MARKER);
    expect(bundle('sweeper')).not.toContain(KMS_CLIENT_MARKER);
  });
});

describe('bundled handlers, invoked with API Gateway and Scheduler events', () => {
  const table = useTestTable();
  /** The local app, as `npm start` serves it, with its own table and dev tenant. */
  const local = useTestStack();
  let apiKey = '';
  const env = () => ({
    AWS_REGION: 'eu-west-1',
    [ENV.dynamodbEndpoint]: inject('dynamoEndpoint'),
    [ENV.tableName]: table.tableName,
    [ENV.stage]: 'prod',
    [ENV.logLevel]: 'warn',
    [ENV.codeKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test',
    [ENV.fingerprintKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test-mac',
    [ENV.evidenceKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test-evidence',
    [ENV.webhookSecretKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test-webhook-secrets',
    [ENV.linkKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test-link',
    // No KMS here: the api's evidence routes get a refused connection at once (a 503 problem), not a
    // wait on the real endpoint.
    AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9',
  });
  beforeAll(async () => {
    const tenants = new TenantService({
      stores: createDynamoStores({ doc: table.doc, tableName: table.tableName }),
      clock: systemClock,
      ids: ulidIdGenerator,
    });
    apiKey = (await tenants.create('bundle-test')).apiKey;
  });

  const auth = () => ({ authorization: `Bearer ${apiKey}` });
  /** The document the api function answers at /openapi.json (API Gateway sends it there). */
  const deployedDocument = (): OpenApiDocument => {
    const response = invokeBundle(bundleDir('api'), httpApiEvent('GET', '/openapi.json'), env())
      .result as LambdaResponse;
    expect({ status: response.statusCode, body: response.body.slice(0, 300) }).toMatchObject({ status: 200 });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return JSON.parse(response.body) as OpenApiDocument;
  };
  const operations = (doc: OpenApiDocument) =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
  const routeKeyOf = (op: { method: string; path: string }) =>
    `${op.method} ${op.path.replace(/\{[^}]+\}/g, '{}')}`;
  const SAMPLE_IDS: Record<string, string> = {
    listingId: 'lst_01JD0000000000000000000000',
    cardId: 'crd_01JD0000000000000000000000',
    orderId: 'ord_01JD0000000000000000000000',
    reportId: 'rpt_01JD0000000000000000000000',
  };
  /**
   * The documented operations function `name` serves: those its router matches. Each gets a
   * well-formed, authenticated request in one cold start; an operation it does not serve gets
   * the router's 404.
   */
  const servedBy = (name: FunctionName, ops: ReturnType<typeof operations>): string[] => {
    const events = ops.map((op) =>
      httpApiEvent(
        op.method,
        op.path.replace(/\{([^}]+)\}/g, (_, param: string) => SAMPLE_IDS[param] ?? 'party-1'),
        {
          headers: { ...auth(), 'idempotency-key': 'k-1' },
          body: op.method === 'POST' ? {} : undefined,
        },
      ),
    );
    const outcomes = invokeBundleEach(bundleDir(name), events, env());
    return ops
      .filter((op, i) => {
        const response = outcomes[i]?.result as LambdaResponse | undefined;
        expect({ name, op, error: outcomes[i]?.error }).toEqual({ name, op, error: undefined });
        const routerMiss = response?.statusCode === 404 && response.body.includes('no route matches');
        return !routerMiss;
      })
      .map(routeKeyOf);
  };
  /** The function's documented (/v1) routes; the hosted pages are HTML, outside the document. */
  const privileged = (fn: 'deposit' | 'reveal') =>
    PRIVILEGED_ROUTES.filter((r) => r.fn === fn && r.path.startsWith('/v1/')).map(
      (r) => `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`,
    );

  it('route to each function exactly the documented operations its app serves', () => {
    // Every function answers /health itself (each probes its own view of the table).
    const ops = operations(deployedDocument()).filter(
      (op) => !op.path.startsWith('/openapi') && op.path !== '/health',
    );
    expect(servedBy('deposit', ops).sort()).toEqual(privileged('deposit').sort());
    expect(servedBy('reveal', ops).sort()).toEqual(privileged('reveal').sort());
    // The api function (API Gateway's default route) serves everything else, none of the privileged routes.
    const unprivileged = ops
      .map(routeKeyOf)
      .filter((route) => ![...privileged('deposit'), ...privileged('reveal')].includes(route));
    expect(unprivileged.length).toBeGreaterThan(10);
    expect(servedBy('api', ops).sort()).toEqual(unprivileged.sort());
  });

  it('serve each hosted page route from the function API Gateway sends it to, and from no other', () => {
    // HTML for people, outside the document: checked against the route table itself.
    const pages = VAULT_ROUTES.filter((route) => !route.path.startsWith('/v1/'));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const samplePath = (path: string) =>
      path.replace('{token}', 'A'.repeat(43)).replace('{file}', 'page.css');
    for (const fn of ['api', 'deposit', 'reveal'] as const) {
      const outcomes = invokeBundleEach(
        bundleDir(fn),
        pages.map((route) => httpApiEvent(route.method, samplePath(route.path))),
        env(),
      );
      const served = pages.filter((route, i) => {
        const response = outcomes[i]?.result as LambdaResponse | undefined;
        expect({ fn, route, error: outcomes[i]?.error }).toEqual({ fn, route, error: undefined });
        return !(response?.statusCode === 404 && response.body.includes('no route matches'));
      });
      expect(served.map(routeKey), fn).toEqual(pages.filter((route) => route.fn === fn).map(routeKey));
    }
  });

  it('answer /openapi.json from the api function only (the others carry no document)', () => {
    for (const name of ['deposit', 'reveal'] as const) {
      const response = invokeBundle(bundleDir(name), httpApiEvent('GET', '/openapi.json'), env())
        .result as LambdaResponse;
      expect({ name, status: response.statusCode, type: JSON.parse(response.body).type }).toEqual({
        name,
        status: 404,
        type: `${PROBLEM_BASE}not-found`,
      });
    }
  });

  it('publish at /openapi.json the document the local app serves (the whole API)', async () => {
    const served = await local.current.request('GET', '/openapi.json', { apiKey: null });
    expect(served.status).toBe(200);
    const deployed = deployedDocument();
    expect(deployed).toEqual(served.body);
    for (const route of [...privileged('deposit'), ...privileged('reveal')]) {
      expect(operations(deployed).map(routeKeyOf)).toContain(route);
    }
  });

  it('answer bad input with the problems the local app answers', async () => {
    // The bundles validate with openapi-lite, the local app with @hono/zod-openapi.
    const answer = (status: number, headers: Record<string, string | undefined>, text: string) => ({
      status,
      contentType: headers['content-type'],
      cacheControl: headers['cache-control'],
      // Each answer names its own occurrence; that it has one is what both must agree on.
      body: JSON.parse(text.replace(/urn:uuid:[0-9a-f-]{36}/g, 'urn:uuid:<this request>')) as unknown,
    });
    for (const fn of ['api', 'deposit', 'reveal'] as const) {
      const cases = BAD_REQUESTS.filter((c) => c.fn === fn);
      const bundled = invokeBundleEach(
        bundleDir(fn),
        cases.map((c) =>
          httpApiEvent(c.method, c.path, {
            headers: { ...auth(), ...c.headers },
            body: c.body,
            ...(c.raw === undefined ? {} : { raw: c.raw }),
            ...(c.query === undefined ? {} : { query: c.query }),
          }),
        ),
        env(),
      );
      for (const [i, c] of cases.entries()) {
        const response = bundled[i]?.result as LambdaResponse;
        const fetched = await local.current.request(c.method, c.query ? `${c.path}?${c.query}` : c.path, {
          ...(c.headers ? { headers: c.headers } : {}),
          ...(c.body === undefined ? {} : { body: c.body }),
          ...(c.raw === undefined ? {} : { raw: c.raw }),
        });
        const inLambda = answer(response.statusCode, response.headers, response.body);
        expect({ case: c.name, ...inLambda }).toEqual({
          case: c.name,
          ...answer(fetched.status, Object.fromEntries(fetched.headers), fetched.text),
        });
        expect(inLambda.status, c.name).toBeGreaterThanOrEqual(400);
        expect(inLambda.status, c.name).toBeLessThan(500);
        expect(response.body, c.name).not.toContain(SECRET);
      }
    }
  });

  it('answer an authenticated request from the api function against DynamoDB', () => {
    const { result } = invokeBundle(
      bundleDir('api'),
      httpApiEvent('GET', '/v1/sellers/seller-1', { headers: { authorization: `Bearer ${apiKey}` } }),
      env(),
    );
    expect(result).toMatchObject({ statusCode: 200 });
  });

  it('refuse a request without an API key, as problem+json', () => {
    const { result } = invokeBundle(bundleDir('api'), httpApiEvent('GET', '/v1/orders/ord_1'), env());
    expect(result).toMatchObject({
      statusCode: 401,
      headers: { 'content-type': 'application/problem+json' },
    });
  });

  it('look up the listing or order in DynamoDB from the deposit and reveal functions', () => {
    // Unknown ids: each function authenticates, reads the table and answers 404, KMS untouched.
    const auth = { authorization: `Bearer ${apiKey}` };
    const cases: Array<[FunctionName, ReturnType<typeof httpApiEvent>]> = [
      [
        'deposit',
        httpApiEvent('POST', `/v1/listings/${ulidIdGenerator.next('lst')}/cards`, {
          headers: auth,
          body: { cards: [{ code: 'DEMO-ABCD-EFGH-JKLM' }] },
        }),
      ],
      [
        'reveal',
        httpApiEvent('POST', `/v1/orders/${ulidIdGenerator.next('ord')}/reveal`, {
          headers: { ...auth, 'idempotency-key': 'reveal-1' },
          body: { buyerId: 'buyer-1' },
        }),
      ],
    ];
    for (const [name, event] of cases) {
      const { result } = invokeBundle(bundleDir(name), event, env());
      expect({ name, result }).toMatchObject({ name, result: { statusCode: 404 } });
      // The resource's 404, not the router's.
      expect((result as { body: string }).body).not.toContain('no route');
    }
  });

  it('run a sweep from the scheduled event', () => {
    const { result, error } = invokeBundle(
      bundleDir('sweeper'),
      scheduledEvent(new Date().toISOString()),
      env(),
    );
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ failed: 0 });
  });
});

describe('the webhook bundles, invoked with a stream event and the schedule', () => {
  const table = useTestTable();
  const ctx = { doc: table.doc, tableName: table.tableName };
  const webhookBundleDir = (name: WebhookFunctionName) => {
    const id = s.stack.getLogicalId(s.stack.webhooks.all[name].fn.node.defaultChild as CfnFunction);
    const key: string = s.template.findResources('AWS::Lambda::Function')[id]?.Properties.Code.S3Key;
    return join(s.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };
  const env = () => ({
    AWS_REGION: 'eu-west-1',
    [ENV.dynamodbEndpoint]: inject('dynamoEndpoint'),
    [ENV.tableName]: table.tableName,
    [ENV.stage]: 'prod',
    [ENV.logLevel]: 'warn',
    [ENV.webhookSecretKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test-webhook-secrets',
    // The fixture's secret is stored in the clear (as before issue 20): no KMS call is made.
    AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9',
  });

  it('carry no HTTP API, the KMS client in the dispatcher alone, and run: a stream INSERT becomes a delivery the dispatcher attempts', async () => {
    for (const name of ['webhookFanOut', 'webhookDispatcher'] as const) {
      const code = readFileSync(join(webhookBundleDir(name), 'index.mjs'), 'utf8');
      // The dispatcher opens sealed signing secrets (kms:Decrypt); the fan-out never touches KMS.
      expect(code.includes(KMS_CLIENT_MARKER), name).toBe(name === 'webhookDispatcher');
      expect(code.includes('not enough cards in stock'), name).toBe(false);
    }
    const tenantId = 'tnt_bundle';
    const endpointId = 'whk_bundle';
    const { eventId, item } = await aLoopbackEndpointAndTrailItem(ctx, tenantId, endpointId);
    const record = {
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item) },
    };
    const fanned = invokeBundle(webhookBundleDir('webhookFanOut'), { Records: [record] }, env());
    expect(fanned.error, fanned.stderr).toBeUndefined();
    expect(fanned.result).toEqual({ events: 1, queued: 1, duplicates: 0 });
    // Time for one whole attempt and its record, and 0.9 s to start it in: one tick, then the drain.
    const dispatched = invokeBundle(webhookBundleDir('webhookDispatcher'), scheduledEvent(item.at), env(), {
      remainingMs: defaultWebhookSettings.timeoutMs + DISPATCH_RUN.recordMs + 900,
    });
    expect(dispatched.error, dispatched.stderr).toBeUndefined();
    expect(dispatched.result).toEqual({ started: 1, ticks: 1, ended: 'deadline' });
    const delivery = await new DynamoWebhookDeliveryStore(ctx).get(tenantId, endpointId, eventId);
    // AWS mode: the loopback URL is refused at the attempt, and retried later.
    expect(delivery?.attempts.map((a) => a.error)).toEqual(['the URL must be https']);
  });
});
