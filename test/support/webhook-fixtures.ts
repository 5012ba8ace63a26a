import { randomBytes } from 'node:crypto';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { TableContext } from '../../shared/adapters/dynamodb/table-context.js';
import { LocalWebhookSecretCipher } from '../../shared/adapters/local-cipher/local-webhook-secret-cipher.js';
import { InMemoryMetrics } from '../../shared/adapters/metrics/in-memory-metrics.js';
import type { WebhookEndpoint } from '../../shared/domain/webhook-endpoint.js';
import { defaultWebhookSettings, type WebhookSettings } from '../../shared/domain/webhook-settings.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { WebhookSecretOpener } from '../../shared/ports/webhook-secret-cipher.js';
import type { WebhookTransport } from '../../shared/ports/webhook-transport.js';
import { WebhookDispatcher } from '../../shared/services/webhook-dispatcher.js';
import { WebhookFanOut } from '../../shared/services/webhook-fan-out.js';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * An enabled endpoint taking every event, stored directly (no URL check: the tests choose what
 * the dispatcher must cope with). Returns what was stored.
 */
export async function storeEndpoint(
  ctx: TableContext,
  endpoint: Pick<WebhookEndpoint, 'tenantId' | 'endpointId' | 'url'> & Partial<WebhookEndpoint>,
): Promise<WebhookEndpoint> {
  const at = '2026-01-01T00:00:00.000Z';
  const stored: WebhookEndpoint = {
    eventTypes: ['*'],
    status: 'enabled',
    secrets: [{ secret: 'whsec_x', createdAt: at }],
    createdAt: at,
    consecutiveFailures: 0,
    ...endpoint,
  };
  await new DynamoWebhookEndpointStore(ctx).create(stored);
  return stored;
}

/**
 * The fan-out and the dispatcher on one table, as the deployed functions build them, with the
 * endpoint cache off (each test's endpoints are read as they are now) unless `settings` says.
 */
export function webhookPipeline(
  ctx: TableContext,
  transport: WebhookTransport,
  options: { clock?: Clock; settings?: Partial<WebhookSettings>; secrets?: WebhookSecretOpener } = {},
) {
  const deps = {
    endpoints: new DynamoWebhookEndpointStore(ctx),
    deliveries: new DynamoWebhookDeliveryStore(ctx),
    clock: options.clock ?? { now: () => new Date() },
    logger: quiet,
    metrics: new InMemoryMetrics(() => {}),
    settings: { ...defaultWebhookSettings, endpointCacheSeconds: 0, ...options.settings },
  };
  // Endpoints stored by `storeEndpoint` carry a clear secret (as before issue 20): nothing to open.
  const secrets = options.secrets ?? new LocalWebhookSecretCipher({ encryptionKey: randomBytes(32) });
  return {
    fanOut: new WebhookFanOut(deps),
    dispatcher: new WebhookDispatcher({ ...deps, transport, secrets }),
  };
}

/**
 * An endpoint on a loopback address, stored directly (the API would refuse it in AWS mode: the
 * store is not the only writer a dispatcher may trust), and the `order.placed` trail item whose
 * stream INSERT the fan-out turns into a delivery for it.
 */
export async function aLoopbackEndpointAndTrailItem(ctx: TableContext, tenantId: string, endpointId: string) {
  await storeEndpoint(ctx, { tenantId, endpointId, url: 'http://127.0.0.1:9/hook' });
  const eventId = `evt_${'0'.repeat(25)}1`;
  const item = {
    ...keys.event(tenantId, 'ord_1', eventId),
    entity: 'Event',
    eventId,
    orderId: 'ord_1',
    type: 'order.placed',
    actor: 'marketplace',
    to: 'pending_payment',
    at: new Date().toISOString(),
  };
  return { eventId, item };
}
