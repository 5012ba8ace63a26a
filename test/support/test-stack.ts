import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadLocalConfig } from '../../shared/config/config.js';
import { type LocalStack, startLocalStack } from '../../shared/local/local-stack.js';
import type { CodeCipher } from '../../shared/ports/code-cipher.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import { DeclaredResponses } from './declared-responses.js';
import { TestClock } from './test-clock.js';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** The local stack as `npm start` runs it, on free ports, on the run's DynamoDB Local, logs captured. */
export interface TestStack extends LocalStack {
  readonly clock: TestClock;
  /** Every log line the stack wrote (JSON strings): the leak tests scan them. */
  readonly logs: string[];
  /** The local key file: a test opens stored webhook secrets with it as the dispatcher does. */
  readonly localKeyFile: string;
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; apiKey?: string | null; raw?: string },
  ): Promise<HttpResult>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  get(path: string): Promise<HttpResult>;
  /** Calls the simulated issuer (mint, redeem, `/_sim` hooks). */
  issuer(path: string, body: unknown): Promise<HttpResult>;
}

export interface TestStackOptions {
  /** Start a DynamoDB Local of its own (to kill it) instead of using the run's shared one. */
  readonly ownDynamoDb?: boolean;
  readonly onDatabaseLost?: (message: string) => void;
  /** Sees every business metric besides the stack's own recorder. */
  readonly metrics?: Metrics;
  /** Poll the stream and deliver webhooks, as `npm start` does (off by default: it costs a poller). */
  readonly webhooks?: boolean;
  /** Sees every cipher call (encrypt, fingerprint, decrypt): a test counts the decrypts. */
  readonly cipher?: (call: keyof CodeCipher) => void;
}

/** Rate limits no test reaches by accident (test/e2e/rate-limits.test.ts sets real ones). */
export const UNLIMITED = {
  TENANT_RATE_PER_SECOND: '100000',
  TENANT_BURST: '100000',
  LINK_RATE_PER_SECOND: '100000',
  LINK_BURST: '100000',
};

export async function startTestStack(
  env: Record<string, string> = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const clock = new TestClock();
  const logs: string[] = [];
  const config = loadLocalConfig({
    PORT: '0',
    ISSUER_SIM_PORT: '0',
    ...(options.ownDynamoDb ? { DYNAMODB_PORT: '0' } : { DYNAMODB_ENDPOINT: inject('dynamoEndpoint') }),
    TABLE_NAME: `e2e-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    IN_MEMORY: '1',
    LOCAL_KEY_FILE: join(await mkdtemp(join(tmpdir(), 'card-vault-keys-')), 'keys.json'),
    SWEEP_INTERVAL_SECONDS: '3600',
    LOG_LEVEL: 'debug',
    // Limits far above any test's pace: the tests of the limits set their own (env or override).
    ...UNLIMITED,
    ...env,
  });
  const stack = await startLocalStack(config, {
    clock,
    logDestination: { write: (line: string) => void logs.push(line) },
    ...(options.onDatabaseLost ? { onDatabaseLost: options.onDatabaseLost } : {}),
    observe: {
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.cipher ? { cipher: options.cipher } : {}),
    },
    webhooks: options.webhooks ?? false,
  });
  // Every answer is held to the document the stack serves (fetched once, on the first request).
  let declared: Promise<DeclaredResponses> | undefined;
  const contract = () => {
    declared ??= fetch(`${stack.apiUrl}/openapi.json`)
      .then((res) => res.json())
      .then(
        (document) => new DeclaredResponses(document as ConstructorParameters<typeof DeclaredResponses>[0]),
      );
    return declared;
  };
  const request: TestStack['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.apiKey !== null) headers.authorization ??= `Bearer ${options.apiKey ?? stack.devApiKey}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    const violation = (await contract()).violation(method, path, response.status, parsed);
    if (violation) throw new Error(`the answer breaks /openapi.json: ${violation}`);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    ...stack,
    localKeyFile: config.localKeyFile,
    clock,
    logs,
    request,
    post: (path, body, headers) =>
      request('POST', path, { ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) }),
    get: (path) => request('GET', path),
    issuer: async (path, body) => {
      const response = await fetch(`${stack.issuerUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
        text,
      };
    },
  };
}

/** One stack per test file: started before its tests, stopped after. */
export function useTestStack(
  env: Record<string, string> = {},
  options: TestStackOptions = {},
): { current: TestStack } {
  const holder = {} as { current: TestStack };
  beforeAll(async () => {
    holder.current = await startTestStack(env, options);
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
}
