import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { type IssuerUrlMode, issuerUrlModes } from '../domain/issuer-url.js';
import { defaultSettings, REVALIDATE_MODES, type VaultSettings } from '../domain/vault-settings.js';
import { endpointModes } from '../domain/webhook-endpoint.js';
import { defaultWebhookSettings, type WebhookSettings } from '../domain/webhook-settings.js';
import { ENV } from './env-names.js';

/**
 * The one place that reads process.env. Each entry point loads the slice it needs; a bad
 * value fails fast at start (cold start in Lambda) with every problem listed.
 */
export type Env = Record<string, string | undefined>;

// zod/mini (it tree-shakes, and its schemas are cheap to build at a cold start) leaves messages
// to the caller; classic zod registers the same English ones.
z.config(en());

const int = (...checks: z.core.$ZodCheck<number>[]) => z.coerce.number().check(z.int(), ...checks);

const seconds = (fallback: number) => z._default(int(z.positive()), fallback);
export const port = (fallback: number) => z._default(int(z.gte(0), z.lte(65_535)), fallback);

const settingsSchema = z.object({
  [ENV.paymentTimeoutSeconds]: seconds(defaultSettings.paymentTimeoutSeconds),
  [ENV.disputeWindowSeconds]: seconds(defaultSettings.disputeWindowSeconds),
  [ENV.revealRetrySeconds]: seconds(defaultSettings.revealRetrySeconds),
  [ENV.raceWindowSeconds]: seconds(defaultSettings.raceWindowSeconds),
  [ENV.revalidateBeforeReveal]: z._default(z.enum(REVALIDATE_MODES), defaultSettings.revalidateBeforeReveal),
  [ENV.issuerClockSkewSeconds]: z._default(int(z.gte(0)), defaultSettings.issuerClockSkewSeconds),
  [ENV.escalationRetrySeconds]: seconds(defaultSettings.escalationRetrySeconds),
  [ENV.escalationRetryMaxSeconds]: seconds(defaultSettings.escalationRetryMaxSeconds),
  [ENV.escalationDeadlineSeconds]: seconds(defaultSettings.escalationDeadlineSeconds),
  [ENV.revealDeadlineSeconds]: seconds(defaultSettings.revealDeadlineSeconds),
  [ENV.apiKeyCacheSeconds]: z._default(int(z.gte(0), z.lte(300)), defaultSettings.apiKeyCacheSeconds),
  [ENV.apiKeyCacheEntries]: z._default(int(z.positive()), defaultSettings.apiKeyCacheEntries),
  [ENV.brandCacheSeconds]: z._default(int(z.gte(0), z.lte(300)), defaultSettings.brandCacheSeconds),
  // Fractions allowed (one request every few seconds); a burst is whole requests, 1 at least.
  [ENV.tenantRatePerSecond]: z._default(
    z.coerce.number().check(z.positive()),
    defaultSettings.tenantRatePerSecond,
  ),
  [ENV.tenantBurst]: z._default(int(z.gte(1)), defaultSettings.tenantBurst),
  [ENV.linkRatePerSecond]: z._default(
    z.coerce.number().check(z.positive()),
    defaultSettings.linkRatePerSecond,
  ),
  [ENV.linkBurst]: z._default(int(z.gte(1)), defaultSettings.linkBurst),
  // 0: a link never shows the code again (a lost answer is then lost).
  [ENV.linkRedeliveries]: z._default(int(z.gte(0), z.lte(100)), defaultSettings.linkRedeliveries),
  [ENV.evidenceRetentionDays]: z._default(int(z.gte(1), z.lte(3650)), defaultSettings.evidenceRetentionDays),
  [ENV.sellerSuspicionDays]: z._default(int(z.gte(1), z.lte(365)), defaultSettings.sellerSuspicionDays),
  // 2 at least: one buyer alone never puts a seller under review.
  [ENV.sellerSuspicionBuyers]: z._default(int(z.gte(2), z.lte(100)), defaultSettings.sellerSuspicionBuyers),
  [ENV.depositRejectBudget]: z._default(int(z.gte(1), z.lte(1000)), defaultSettings.depositRejectBudget),
  [ENV.logLevel]: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});

/** Parses `env` with `schema` (zod/mini's or classic zod's) or throws every problem, named. */
export function parse<T extends z.core.$ZodType>(schema: T, env: Env, what: string): z.output<T> {
  // Parsed once per process: compiling an object's fast path (zod's JIT) would cost more than it saves.
  const result = z.safeParse(schema, env, { jitless: true });
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid ${what} configuration: ${problems}`);
  }
  return result.data;
}

export function loadSettings(env: Env = process.env): VaultSettings & { logLevel: string } {
  const s = parse(settingsSchema, env, 'vault');
  return {
    paymentTimeoutSeconds: s[ENV.paymentTimeoutSeconds],
    disputeWindowSeconds: s[ENV.disputeWindowSeconds],
    revealRetrySeconds: s[ENV.revealRetrySeconds],
    raceWindowSeconds: s[ENV.raceWindowSeconds],
    revalidateBeforeReveal: s[ENV.revalidateBeforeReveal],
    issuerClockSkewSeconds: s[ENV.issuerClockSkewSeconds],
    escalationRetrySeconds: s[ENV.escalationRetrySeconds],
    escalationRetryMaxSeconds: s[ENV.escalationRetryMaxSeconds],
    escalationDeadlineSeconds: s[ENV.escalationDeadlineSeconds],
    revealDeadlineSeconds: s[ENV.revealDeadlineSeconds],
    apiKeyCacheSeconds: s[ENV.apiKeyCacheSeconds],
    apiKeyCacheEntries: s[ENV.apiKeyCacheEntries],
    brandCacheSeconds: s[ENV.brandCacheSeconds],
    tenantRatePerSecond: s[ENV.tenantRatePerSecond],
    tenantBurst: s[ENV.tenantBurst],
    linkRatePerSecond: s[ENV.linkRatePerSecond],
    linkBurst: s[ENV.linkBurst],
    linkRedeliveries: s[ENV.linkRedeliveries],
    evidenceRetentionDays: s[ENV.evidenceRetentionDays],
    sellerSuspicionDays: s[ENV.sellerSuspicionDays],
    sellerSuspicionBuyers: s[ENV.sellerSuspicionBuyers],
    depositRejectBudget: s[ENV.depositRejectBudget],
    logLevel: s[ENV.logLevel],
  };
}

const retry = defaultWebhookSettings.retry;
const webhookSchema = z.object({
  // Fractions allowed: the tests shorten the backoff below a second.
  [ENV.webhookRetryBaseSeconds]: z._default(z.coerce.number().check(z.positive()), retry.baseSeconds),
  [ENV.webhookGiveUpSeconds]: z._default(z.coerce.number().check(z.positive()), retry.giveUpAfterSeconds),
  // At most 30 s: the dispatcher's 60 s invocation starts an attempt only while the attempt's whole
  // time and its record (5 s) still fit, so a longer one would leave it little or no time to start any.
  [ENV.webhookTimeoutMs]: z._default(int(z.gte(100), z.lte(30_000)), defaultWebhookSettings.timeoutMs),
  [ENV.webhookEndpointCacheSeconds]: z._default(
    int(z.gte(0), z.lte(300)),
    defaultWebhookSettings.endpointCacheSeconds,
  ),
});

/** The webhook fan-out and dispatcher's settings (the same in Lambda and locally). */
export function loadWebhookSettings(env: Env = process.env): WebhookSettings {
  const s = parse(webhookSchema, env, 'webhook');
  return {
    ...defaultWebhookSettings,
    retry: {
      ...retry,
      baseSeconds: s[ENV.webhookRetryBaseSeconds],
      giveUpAfterSeconds: s[ENV.webhookGiveUpSeconds],
    },
    timeoutMs: s[ENV.webhookTimeoutMs],
    endpointCacheSeconds: s[ENV.webhookEndpointCacheSeconds],
  };
}

/** How a process talks to issuers (docs/issuer-protocol.md "Transport" and "Concurrency"). */
export interface IssuerConfig {
  readonly mode: IssuerUrlMode;
  readonly maxConcurrency: number;
}

export const DEFAULT_ISSUER_MAX_CONCURRENCY = 16;

/**
 * `defaultMode` is the entry point's: `aws` for the Lambda functions (https only), `local` for
 * `npm start`. ISSUER_URL_MODE overrides it, which only the tests that run the Lambda handlers
 * against the simulator on loopback do; the stack never sets it.
 */
export function loadIssuerConfig(defaultMode: IssuerUrlMode, env: Env = process.env): IssuerConfig {
  const s = parse(
    z.object({
      [ENV.issuerUrlMode]: z._default(z.enum(issuerUrlModes), defaultMode),
      [ENV.issuerMaxConcurrency]: z._default(int(z.gte(1), z.lte(1000)), DEFAULT_ISSUER_MAX_CONCURRENCY),
    }),
    env,
    'issuer',
  );
  return { mode: s[ENV.issuerUrlMode], maxConcurrency: s[ENV.issuerMaxConcurrency] };
}

/** The KMS keys a Lambda function may be given. */
export type KmsKeyName =
  | 'codeKeyId'
  | 'fingerprintKeyId'
  | 'evidenceKeyId'
  | 'webhookSecretKeyId'
  | 'linkKeyId';

export type LambdaConfig<K extends KmsKeyName = never> = {
  readonly tableName: string;
  readonly stage: string;
  /** The function's own name (set by the Lambda runtime), for its logs. */
  readonly functionName: string | undefined;
  /** Only in tests, which run the handlers against DynamoDB Local. */
  readonly dynamodbEndpoint: string | undefined;
  readonly settings: ReturnType<typeof loadSettings>;
} & { readonly [P in K]: string };

/**
 * What every Lambda function needs, and the KMS key ids `keys` that this function uses: a
 * function missing one must not start.
 */
export function loadLambdaConfig<K extends KmsKeyName = never>(
  keys: readonly K[] = [],
  env: Env = process.env,
): LambdaConfig<K> {
  const key = (name: KmsKeyName) =>
    (keys as readonly KmsKeyName[]).includes(name)
      ? z.string().check(z.minLength(1))
      : z.optional(z.string().check(z.minLength(1)));
  const s = parse(
    z.object({
      [ENV.tableName]: z.string().check(z.minLength(3)),
      [ENV.stage]: z._default(z.string().check(z.minLength(1)), 'dev'),
      [ENV.lambdaFunctionName]: z.optional(z.string()),
      [ENV.dynamodbEndpoint]: z.optional(z.url()),
      [ENV.codeKeyId]: key('codeKeyId'),
      [ENV.fingerprintKeyId]: key('fingerprintKeyId'),
      [ENV.evidenceKeyId]: key('evidenceKeyId'),
      [ENV.webhookSecretKeyId]: key('webhookSecretKeyId'),
      [ENV.linkKeyId]: key('linkKeyId'),
    }),
    env,
    'Lambda',
  );
  const given = {
    codeKeyId: s[ENV.codeKeyId],
    fingerprintKeyId: s[ENV.fingerprintKeyId],
    evidenceKeyId: s[ENV.evidenceKeyId],
    webhookSecretKeyId: s[ENV.webhookSecretKeyId],
    linkKeyId: s[ENV.linkKeyId],
  };
  return {
    tableName: s[ENV.tableName],
    stage: s[ENV.stage],
    functionName: s[ENV.lambdaFunctionName],
    dynamodbEndpoint: s[ENV.dynamodbEndpoint],
    settings: loadSettings(env),
    // Only the keys asked for, each checked present above.
    ...(Object.fromEntries(keys.map((k) => [k, given[k]])) as { [P in K]: string }),
  };
}

/** The local stack (`npm start`): ports, data directory, DynamoDB Local or an endpoint. */
export function loadLocalConfig(env: Env = process.env) {
  const s = parse(
    z.object({
      [ENV.port]: port(3000),
      [ENV.issuerSimPort]: port(3001),
      [ENV.dynamodbPort]: port(8000),
      [ENV.dynamodbEndpoint]: z.optional(z.url()),
      [ENV.tableName]: z._default(z.string().check(z.minLength(3)), 'card-vault-local'),
      [ENV.devApiKey]: z.optional(z.string()),
      [ENV.sweepIntervalSeconds]: seconds(30),
      [ENV.inMemory]: z.optional(z.enum(['0', '1', 'true', 'false', ''])),
      [ENV.localKeyFile]: z._default(z.string(), '.data/local-keys.json'),
      [ENV.webhookEndpointMode]: z._default(z.enum(endpointModes), 'local'),
      [ENV.webhookDispatchIntervalMs]: z._default(int(z.gte(10), z.lte(60_000)), 1000),
    }),
    env,
    'local stack',
  );
  return {
    port: s[ENV.port],
    issuerSimPort: s[ENV.issuerSimPort],
    dynamodbPort: s[ENV.dynamodbPort],
    dynamodbEndpoint: s[ENV.dynamodbEndpoint],
    tableName: s[ENV.tableName],
    devApiKey: s[ENV.devApiKey],
    sweepIntervalSeconds: s[ENV.sweepIntervalSeconds],
    inMemory: s[ENV.inMemory] === '1' || s[ENV.inMemory] === 'true',
    localKeyFile: s[ENV.localKeyFile],
    webhookEndpointMode: s[ENV.webhookEndpointMode],
    webhookDispatchIntervalMs: s[ENV.webhookDispatchIntervalMs],
    settings: loadSettings(env),
    webhooks: loadWebhookSettings(env),
    issuer: loadIssuerConfig('local', env),
  };
}
