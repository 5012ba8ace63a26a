import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { EmfMetrics } from '../../shared/adapters/metrics/emf-metrics.js';
import type { LambdaConfig } from '../../shared/config/config.js';
import type { WebhookSettings } from '../../shared/domain/webhook-settings.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { WebhookDeps } from '../../shared/services/webhook-deps.js';

/** What the webhook fan-out and dispatcher functions share: the endpoint and delivery stores only. */
export function webhookAdapters(config: LambdaConfig, settings: WebhookSettings) {
  const { doc } = createDynamoClients(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {});
  const ctx = { doc, tableName: config.tableName };
  const metrics = new EmfMetrics({ stage: config.stage });
  const deps: WebhookDeps = {
    endpoints: new DynamoWebhookEndpointStore(ctx),
    deliveries: new DynamoWebhookDeliveryStore(ctx),
    clock: systemClock,
    logger: createLogger({ level: config.settings.logLevel, base: { fn: config.functionName } }),
    metrics,
    settings,
  };
  return { deps, metrics };
}
