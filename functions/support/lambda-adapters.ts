import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoHealthProbe } from '../../shared/adapters/dynamodb/dynamodb-health-probe.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { EmfMetrics } from '../../shared/adapters/metrics/emf-metrics.js';
import type { LambdaConfig } from '../../shared/config/config.js';
import { systemClock } from '../../shared/ports/clock.js';

/**
 * The adapters every function shares: the table's stores, clock, ids and a JSON logger. Each
 * function adds the cipher and issuer its slice needs, if any. Runs once per cold start.
 */
export function lambdaAdapters(config: LambdaConfig) {
  const logger = createLogger({ level: config.settings.logLevel, base: { fn: config.functionName } });
  const { doc } = createDynamoClients(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {});
  return {
    logger,
    stores: createDynamoStores({ doc, tableName: config.tableName }),
    /** `/health`'s database probe (a GetItem of a key no item has, cached 5 s); built on first use. */
    databaseProbe: () => createDynamoHealthProbe({ doc, tableName: config.tableName }),
    clock: systemClock,
    /** Business metrics as EMF on stdout; each handler flushes them per invocation (`flushingMetrics`). */
    metrics: new EmfMetrics({ stage: config.stage }),
    ids: ulidIdGenerator,
    settings: config.settings,
  };
}
