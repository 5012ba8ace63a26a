import { parseArgs } from 'node:util';
import * as z from 'zod';
import { type Env, loadLocalConfig, parse, port } from './config.js';
import { ENV } from './env-names.js';

/**
 * Settings of the operator tools (scripts/, bench/). By default they talk to the local stack, so
 * their defaults are the ones `npm start` listens on, taken from loadLocalConfig, never repeated.
 */
const local = loadLocalConfig({});

/** `npm run tenant|brand` on the local stack: DYNAMODB_ENDPOINT, else DynamoDB Local on DYNAMODB_PORT. */
export function loadAdminConfig(env: Env = process.env): { tableName: string; endpoint: string } {
  const s = parse(
    z.object({
      [ENV.dynamodbEndpoint]: z.url().optional(),
      [ENV.dynamodbPort]: port(local.dynamodbPort),
      [ENV.tableName]: z.string().min(3).default(local.tableName),
    }),
    env,
    'admin CLI',
  );
  return {
    tableName: s[ENV.tableName],
    endpoint: s[ENV.dynamodbEndpoint] ?? `http://127.0.0.1:${s[ENV.dynamodbPort]}`,
  };
}

/** `npm run demo`: the vault API and the simulated issuer, by URL or by local port. */
export function loadDemoConfig(env: Env = process.env) {
  const s = parse(
    z.object({
      [ENV.apiUrl]: z.url().optional(),
      [ENV.port]: port(local.port),
      [ENV.issuerUrl]: z.url().optional(),
      [ENV.issuerSimPort]: port(local.issuerSimPort),
      [ENV.devApiKey]: z.string().optional(),
    }),
    env,
    'demo',
  );
  return {
    apiUrl: s[ENV.apiUrl] ?? `http://127.0.0.1:${s[ENV.port]}`,
    issuerUrl: s[ENV.issuerUrl] ?? `http://127.0.0.1:${s[ENV.issuerSimPort]}`,
    devApiKey: s[ENV.devApiKey],
  };
}

/** Bench presets: `quick` finishes in about a minute, `full` is the scale (10,000 codes). */
const BENCH_SCALES = {
  quick: {
    sales: 16,
    concurrency: 8,
    cards: 200,
    reveals: 24,
    orderSamples: 10,
    probeOps: 60,
    bundleRuns: 1,
  },
  moderate: {
    sales: 300,
    concurrency: 32,
    cards: 2_000,
    reveals: 128,
    orderSamples: 30,
    probeOps: 400,
    bundleRuns: 3,
  },
  full: {
    sales: 300,
    concurrency: 32,
    cards: 10_000,
    reveals: 256,
    orderSamples: 50,
    probeOps: 800,
    bundleRuns: 5,
  },
} as const;
export const BENCH_SCALE_NAMES = ['quick', 'moderate', 'full'] as const;
export type BenchConfig = { readonly scale: (typeof BENCH_SCALE_NAMES)[number] } & {
  readonly [K in keyof (typeof BENCH_SCALES)['moderate']]: number;
};

/**
 * `npm run bench [-- --quick|--full] [--sales N] [--concurrency N] [--cards N]`: flags win over
 * BENCH_SCALE, BENCH_SALES, BENCH_CONCURRENCY and BENCH_CARDS; the scale's preset fills the rest.
 */
export function loadBenchConfig(env: Env = process.env, argv: readonly string[] = []): BenchConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean' },
      full: { type: 'boolean' },
      sales: { type: 'string' },
      concurrency: { type: 'string' },
      cards: { type: 'string' },
    },
    strict: true,
  });
  const count = z.coerce.number().int().positive().optional();
  const s = parse(
    z.object({
      [ENV.benchScale]: z.enum(BENCH_SCALE_NAMES).default('moderate'),
      [ENV.benchSales]: count,
      [ENV.benchConcurrency]: count,
      [ENV.benchCards]: count,
    }),
    {
      ...env,
      ...(values.quick ? { [ENV.benchScale]: 'quick' } : {}),
      ...(values.full ? { [ENV.benchScale]: 'full' } : {}),
      ...(values.sales !== undefined ? { [ENV.benchSales]: values.sales } : {}),
      ...(values.concurrency !== undefined ? { [ENV.benchConcurrency]: values.concurrency } : {}),
      ...(values.cards !== undefined ? { [ENV.benchCards]: values.cards } : {}),
    },
    'bench',
  );
  const scale = s[ENV.benchScale];
  const preset = BENCH_SCALES[scale];
  return {
    ...preset,
    scale,
    sales: s[ENV.benchSales] ?? preset.sales,
    concurrency: s[ENV.benchConcurrency] ?? preset.concurrency,
    cards: s[ENV.benchCards] ?? preset.cards,
  };
}
