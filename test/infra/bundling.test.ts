import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PRIVILEGED_ROUTES, routeKey } from '../../infra/constructs/vault-http-api.js';
import type { FunctionName } from '../../infra/function-specs.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { ENV } from '../../shared/config/env-names.js';
import { PROBLEM_BASE } from '../../shared/http/problem-types.js';
import { systemClock } from '../../shared/ports/clock.js';
import { TenantService } from '../../shared/services/tenant-service.js';
import { useTestTable } from '../support/dynamo.js';
import { httpApiEvent, invokeBundle, scheduledEvent } from './invoke-bundle.js';
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

  it('give the KMS client only to the functions allowed to use KMS', () => {
    expect(bundle('deposit')).toContain(KMS_CLIENT_MARKER);
    expect(bundle('reveal')).toContain(KMS_CLIENT_MARKER);
    expect(bundle('api')).not.toContain(KMS_CLIENT_MARKER);
    expect(bundle('sweeper')).not.toContain(KMS_CLIENT_MARKER);
  });
});

describe('bundled handlers, invoked with API Gateway and Scheduler events', () => {
  const table = useTestTable();
  let apiKey = '';
  const env = () => ({
    AWS_REGION: 'eu-west-1',
    [ENV.dynamodbEndpoint]: inject('dynamoEndpoint'),
    [ENV.tableName]: table.tableName,
    [ENV.stage]: 'prod',
    [ENV.logLevel]: 'warn',
    [ENV.codeKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test',
    [ENV.fingerprintKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/test-mac',
  });
  beforeAll(async () => {
    const tenants = new TenantService({
      stores: createDynamoStores({ doc: table.doc, tableName: table.tableName }),
      clock: systemClock,
      ids: ulidIdGenerator,
    });
    apiKey = (await tenants.create('bundle-test')).apiKey;
  });

  /** The operations a function's own app serves, from its /openapi.json, as API Gateway route keys. */
  const servedRoutes = (name: FunctionName): string[] => {
    const { result } = invokeBundle(bundleDir(name), httpApiEvent('GET', '/openapi.json'), env());
    const response = result as { statusCode: number; body: string };
    expect({ name, status: response.statusCode, body: response.body.slice(0, 300) }).toMatchObject({
      status: 200,
    });
    const paths = (JSON.parse(response.body) as { paths: Record<string, Record<string, unknown>> }).paths;
    return Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
    );
  };
  const privileged = (fn: 'deposit' | 'reveal') =>
    PRIVILEGED_ROUTES.filter((r) => r.fn === fn).map(
      (r) => `${r.method} ${r.path.replace(/\{[^}]+\}/g, '{}')}`,
    );

  it('route to each function exactly the operations its app serves', () => {
    expect(servedRoutes('deposit').sort()).toEqual(privileged('deposit').sort());
    expect(servedRoutes('reveal').sort()).toEqual(privileged('reveal').sort());
  });

  it("publish the whole API from the api function's /openapi.json, serving none of the privileged routes", () => {
    // API Gateway sends /openapi.json to the api function: its document is the deployed contract.
    const documented = servedRoutes('api');
    expect(documented.length).toBeGreaterThan(10);
    for (const route of [...privileged('deposit'), ...privileged('reveal')])
      expect(documented).toContain(route);

    const ids: Record<string, string> = {
      '{id}': 'lst_01JD0000000000000000000000',
      '{cardId}': 'crd_01JD0000000000000000000000',
    };
    for (const route of PRIVILEGED_ROUTES) {
      const path = route.path.replace(/\{[^}]+\}/g, (param) =>
        route.fn === 'reveal' ? 'ord_01JD0000000000000000000000' : (ids[param] as string),
      );
      const { result } = invokeBundle(
        bundleDir('api'),
        httpApiEvent(route.method, path, {
          headers: { authorization: `Bearer ${apiKey}`, 'idempotency-key': 'k-1' },
          body: route.method === 'POST' ? {} : undefined,
        }),
        env(),
      );
      const response = result as { statusCode: number; body: string };
      expect({
        route: routeKey(route),
        status: response.statusCode,
        type: JSON.parse(response.body).type,
      }).toEqual({
        route: routeKey(route),
        status: 404,
        type: `${PROBLEM_BASE}not-found`,
      });
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
