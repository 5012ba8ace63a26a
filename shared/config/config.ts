import * as z from 'zod';
import { defaultSettings, REVALIDATE_MODES, type VaultSettings } from '../domain/vault-settings.js';
import { endpointModes } from '../domain/webhook-endpoint.js';
import { defaultWebhookSettings, type WebhookSettings } from '../domain/webhook-settings.js';
import { ENV } from './env-names.js';

/**
 * The one place that reads process.env. Each entry point loads the slice it needs; a bad
 * value fails fast at start (cold start in Lambda) with every problem listed.
 */
export type Env = Record<string, string | undefined>;

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

const settingsSchema = z.object({
  [ENV.paymentTimeoutSeconds]: seconds(defaultSettings.paymentTimeoutSeconds),
  [ENV.disputeWindowSeconds]: seconds(defaultSettings.disputeWindowSeconds),
  [ENV.revealRetrySeconds]: seconds(defaultSettings.revealRetrySeconds),
  [ENV.raceWindowSeconds]: seconds(defaultSettings.raceWindowSeconds),
  [ENV.revalidateBeforeReveal]: z.enum(REVALIDATE_MODES).default(defaultSettings.revalidateBeforeReveal),
  [ENV.issuerClockSkewSeconds]: z.coerce
    .number()
    .int()
    .min(0)
    .default(defaultSettings.issuerClockSkewSeconds),
  [ENV.escalationRetrySeconds]: seconds(defaultSettings.escalationRetrySeconds),
  [ENV.escalationRetryMaxSeconds]: seconds(defaultSettings.escalationRetryMaxSeconds),
  [ENV.escalationDeadlineSeconds]: seconds(defaultSettings.escalationDeadlineSeconds),
  [ENV.revealDeadlineSeconds]: seconds(defaultSettings.revealDeadlineSeconds),
  [ENV.apiKeyCacheSeconds]: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(defaultSettings.apiKeyCacheSeconds),
  [ENV.apiKeyCacheEntries]: z.coerce.number().int().positive().default(defaultSettings.apiKeyCacheEntries),
  [ENV.brandCacheSeconds]: z.coerce.number().int().min(0).max(300).default(defaultSettings.brandCacheSeconds),
  [ENV.sellerSuspicionDays]: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(defaultSettings.sellerSuspicionDays),
  // 2 at least: one buyer alone never puts a seller under review.
  [ENV.sellerSuspicionBuyers]: z.coerce
    .number()
    .int()
    .min(2)
    .max(100)
    .default(defaultSettings.sellerSuspicionBuyers),
  [ENV.logLevel]: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export function parse<T extends z.ZodType>(schema: T, env: Env, what: string): z.infer<T> {
  const result = schema.safeParse(env);
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
    sellerSuspicionDays: s[ENV.sellerSuspicionDays],
    sellerSuspicionBuyers: s[ENV.sellerSuspicionBuyers],
    logLevel: s[ENV.logLevel],
  };
}

const retry = defaultWebhookSettings.retry;
const webhookSchema = z.object({
  // Fractions allowed: the tests shorten the backoff below a second.
  [ENV.webhookRetryBaseSeconds]: z.coerce.number().positive().default(retry.baseSeconds),
  [ENV.webhookGiveUpSeconds]: z.coerce.number().positive().default(retry.giveUpAfterSeconds),
  [ENV.webhookTimeoutMs]: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(defaultWebhookSettings.timeoutMs),
  [ENV.webhookEndpointCacheSeconds]: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(defaultWebhookSettings.endpointCacheSeconds),
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

/** The KMS keys a Lambda function may be given. */
export type KmsKeyName = 'codeKeyId' | 'fingerprintKeyId';

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
    (keys as readonly KmsKeyName[]).includes(name) ? z.string().min(1) : z.string().min(1).optional();
  const s = parse(
    z.object({
      [ENV.tableName]: z.string().min(3),
      [ENV.stage]: z.string().min(1).default('dev'),
      [ENV.lambdaFunctionName]: z.string().optional(),
      [ENV.dynamodbEndpoint]: z.url().optional(),
      [ENV.codeKeyId]: key('codeKeyId'),
      [ENV.fingerprintKeyId]: key('fingerprintKeyId'),
    }),
    env,
    'Lambda',
  );
  const given = { codeKeyId: s[ENV.codeKeyId], fingerprintKeyId: s[ENV.fingerprintKeyId] };
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
      [ENV.dynamodbEndpoint]: z.url().optional(),
      [ENV.tableName]: z.string().min(3).default('card-vault-local'),
      [ENV.devApiKey]: z.string().optional(),
      [ENV.sweepIntervalSeconds]: seconds(30),
      [ENV.inMemory]: z.enum(['0', '1', 'true', 'false', '']).optional(),
      [ENV.localKeyFile]: z.string().default('.data/local-keys.json'),
      [ENV.webhookEndpointMode]: z.enum(endpointModes).default('local'),
      [ENV.webhookDispatchIntervalMs]: z.coerce.number().int().min(10).max(60_000).default(1000),
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
  };
}
