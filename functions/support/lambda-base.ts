import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { createLogger } from '../../shared/adapters/logging/pino-logger.js';
import { loadLambdaConfig } from '../../shared/config/config.js';
import { systemClock } from '../../shared/ports/clock.js';

/**
 * What every function shares: config (fails fast on a bad environment), the table's stores,
 * clock, ids and a JSON logger. Runs once per cold start, at module scope of each entry.
 */
export function lambdaBase(env: Record<string, string | undefined> = process.env) {
  const config = loadLambdaConfig(env);
  const logger = createLogger({
    level: config.settings.logLevel,
    base: { fn: env.AWS_LAMBDA_FUNCTION_NAME },
  });
  const { doc } = createDynamoClients(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  return {
    config,
    logger,
    stores: createDynamoStores({ doc, tableName: config.tableName }),
    clock: systemClock,
    ids: ulidIdGenerator,
    settings: config.settings,
  };
}

/** The KMS key ids a function was given; a function missing one it needs must not start. */
export function requireKey(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is not set for this function`);
  return value;
}
