import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { TableContext } from '../../shared/adapters/dynamodb/table-context.js';

/**
 * An endpoint on a loopback address, stored directly (the API would refuse it in AWS mode: the
 * store is not the only writer a dispatcher may trust), and the `order.placed` trail item whose
 * stream INSERT the fan-out turns into a delivery for it.
 */
export async function aLoopbackEndpointAndTrailItem(ctx: TableContext, tenantId: string, endpointId: string) {
  await new DynamoWebhookEndpointStore(ctx).create({
    tenantId,
    endpointId,
    url: 'http://127.0.0.1:9/hook',
    eventTypes: ['*'],
    status: 'enabled',
    secrets: [{ secret: 'whsec_x', createdAt: '2026-01-01T00:00:00.000Z' }],
    createdAt: '2026-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
  });
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
