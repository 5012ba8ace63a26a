import { z } from 'zod';
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

/** `npm run bench`: how many sales to time. */
export function loadBenchConfig(env: Env = process.env) {
  const s = parse(
    z.object({ [ENV.benchIterations]: z.coerce.number().int().positive().default(30) }),
    env,
    'bench',
  );
  return { iterations: s[ENV.benchIterations] };
}
