import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { loadLocalConfig } from '../../shared/config/config.js';
import { type LocalStack, startLocalStack } from '../../shared/local/local-stack.js';
import { Tally } from './tally.js';

/** The local stack the bench drives, with its DynamoDB and cipher calls tallied, and HTTP helpers. */
export interface BenchStack {
  readonly stack: LocalStack;
  readonly tally: Tally;
  readonly keyFile: string;
  readonly revalidates: boolean;
  /** A document client of its own on the same DynamoDB, for the storage ceiling (not tallied). */
  readonly clients: ReturnType<typeof createDynamoClients>;
  /** Counts the vault API requests made, for the per-sale price. */
  readonly apiRequests: () => number;
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  /** A fresh unused code from the simulated issuer's card shop. */
  mint(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local in memory (or uses `dynamodbEndpoint`), the issuer and the API on free ports.
 * `logLevel` (default warn): the soak's storms make warnings by the thousand (refunds due) on purpose.
 */
export async function startBenchStack(
  options: { dynamodbEndpoint?: string; logLevel?: 'warn' | 'error' } = {},
): Promise<BenchStack> {
  const keyFile = join(await mkdtemp(join(tmpdir(), 'card-vault-bench-')), 'keys.json');
  const config = loadLocalConfig({
    PORT: '0',
    ISSUER_SIM_PORT: '0',
    DYNAMODB_PORT: '0',
    ...(options.dynamodbEndpoint ? { DYNAMODB_ENDPOINT: options.dynamodbEndpoint } : {}),
    IN_MEMORY: '1',
    TABLE_NAME: `card-vault-bench-${Date.now().toString(36)}`,
    LOG_LEVEL: options.logLevel ?? 'warn',
    // The sweeper would add its queries to whatever phase is being counted.
    SWEEP_INTERVAL_SECONDS: '86400',
    LOCAL_KEY_FILE: keyFile,
    // The figures measure the vault, not the default limits (the limiter still runs on every
    // request); the rate-limit figure sets its tenants' own through the override.
    TENANT_RATE_PER_SECOND: '1000000',
    TENANT_BURST: '1000000',
    LINK_RATE_PER_SECOND: '1000000',
    LINK_BURST: '1000000',
  });
  const tally = new Tally();
  const stack = await startLocalStack(config, {
    observe: { dynamo: tally.seeDynamo, cipher: tally.seeCipher },
    // The webhook dispatcher's due-index queries would add to whatever phase is being counted.
    webhooks: false,
  });
  const clients = createDynamoClients({ endpoint: stack.dynamodbEndpoint });
  const api = apiClient(stack.apiUrl, stack.devApiKey);
  let requests = 0;
  return {
    stack,
    tally,
    keyFile,
    revalidates: config.settings.revalidateBeforeReveal !== 'off',
    clients,
    apiRequests: () => requests,
    async api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      requests += 1;
      return api<T>(method, path, body, headers);
    },
    async mint() {
      const response = await fetch(`${stack.issuerUrl}/cards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: 'demo-gift', amount: 5000, currency: 'EUR' }),
      });
      return ((await response.json()) as { code: string }).code;
    },
    async stop() {
      clients.client.destroy();
      await stack.stop();
    },
  };
}

/** The vault API as the bench's clients call it (here, or in a process of their own). */
export function apiClient(apiUrl: string, apiKey: string) {
  return async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await response.json();
    if (response.status >= 400)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json as T;
  };
}
