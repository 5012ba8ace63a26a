import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import type { WebhookDelivery } from '../../shared/domain/webhook-delivery.js';
import type { WebhookEndpoint } from '../../shared/domain/webhook-endpoint.js';
import { eventsOf } from '../support/fraud-helpers.js';
import { aListing, anOrder, aTenantOn, depositFresh, unique } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';
import { eventually, startReceiver } from '../support/webhook-receiver.js';

// A 4 s deadline (time for another tenant's sale while the first attempts trickle), a dispatcher tick every 50 ms, a retry far enough away not to come back in a test.
const TIMEOUT_MS = 4000;
const stack = useTestStack(
  {
    WEBHOOK_RETRY_BASE_SECONDS: '60',
    WEBHOOK_ENDPOINT_CACHE_SECONDS: '0',
    WEBHOOK_DISPATCH_INTERVAL_MS: '50',
    WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  },
  { webhooks: true },
);
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let endpoints: DynamoWebhookEndpointStore;
let deliveries: DynamoWebhookDeliveryStore;
let destroy: () => void;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.behave('/trickle', 'trickle');
  const { client, doc } = createDynamoClients({ endpoint: stack.current.dynamodbEndpoint });
  destroy = () => client.destroy();
  const ctx = { doc, tableName: stack.current.tableName };
  endpoints = new DynamoWebhookEndpointStore(ctx);
  deliveries = new DynamoWebhookDeliveryStore(ctx);
});
afterAll(async () => {
  await receiver?.close();
  destroy?.();
});

async function anEndpoint(tenantId: string, path: string): Promise<WebhookEndpoint> {
  const endpoint: WebhookEndpoint = {
    tenantId,
    endpointId: unique('whk'),
    url: receiver.url(path),
    eventTypes: ['*'],
    status: 'enabled',
    secrets: [{ secret: `whsec_${unique('s')}`, createdAt: new Date().toISOString() }],
    createdAt: new Date().toISOString(),
    consecutiveFailures: 0,
  };
  await endpoints.create(endpoint);
  return endpoint;
}

async function aPlacedOrder(as: TestStack) {
  const { listingId } = await aListing(as);
  await depositFresh(as, listingId, 1);
  const { orderId } = await anOrder(as, listingId);
  const [placed] = await eventsOf(as, orderId);
  return (placed as { eventId?: string; id?: string }).eventId ?? (placed as { id: string }).id;
}

const attempted = async (e: WebhookEndpoint, eventId: string) => {
  const d = await deliveries.get(e.tenantId, e.endpointId, eventId);
  return d && d.attempts.length > 0 ? d : undefined;
};

describe('webhook receivers that trickle (local stack)', () => {
  it('cuts a receiver that answers 200 then a byte at a time at WEBHOOK_TIMEOUT_MS, and records a timeout to retry', async () => {
    const { tenantId, as } = await aTenantOn(stack.current);
    const endpoint = await anEndpoint(tenantId, '/trickle');
    const placedId = await aPlacedOrder(as);
    const delivery = await eventually('the attempt', () => attempted(endpoint, placedId), 20_000);
    expect(delivery.state).toBe('pending');
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        status: 200,
        error: 'timed out',
        nextAttemptAt: expect.any(String),
      }),
    ]);
    expect(delivery.attempts[0]?.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(delivery.attempts[0]?.latencyMs).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it("attempts another tenant's event while a tenant's 16 trickling endpoints hold 24 due deliveries each", async () => {
    // The other tenant's listing and stock first: its order is then placed while the flood trickles.
    const other = await aTenantOn(stack.current);
    const endpoint = await anEndpoint(other.tenantId, '/prompt');
    const { listingId } = await aListing(other.as);
    await depositFresh(other.as, listingId, 1);

    const flood = await aTenantOn(stack.current);
    const floodEndpoints = await Promise.all(
      Array.from({ length: 16 }, () => anEndpoint(flood.tenantId, '/trickle')),
    );
    // 24 each: without turns, 384 older rows would hold all 64 slots for 6 deadlines in a row.
    const floodIds = Array.from({ length: 24 }, () => unique('evt'));
    const now = new Date().toISOString();
    // 16 writes at a time: 128 at once outrun DynamoDB Local's connection timeout on a busy machine.
    for (const [i, eventId] of floodIds.entries()) {
      await Promise.all(
        floodEndpoints.map((e) =>
          deliveries.enqueue({
            tenantId: flood.tenantId,
            endpointId: e.endpointId,
            eventId,
            type: 'order.placed',
            subject: `order:ord_flood${i}`,
            payload: JSON.stringify({ id: eventId, type: 'order.placed', data: {} }),
            createdAt: now,
          }),
        ),
      );
    }
    // The flood's attempts are in flight (the receiver has their bodies) before the other tenant sells.
    await eventually('the flood in flight', () =>
      receiver.received('/trickle').length >= 16 ? true : undefined,
    );

    const { orderId } = await anOrder(other.as, listingId);
    const [placed] = await eventsOf(other.as, orderId);
    const placedId = (placed as { eventId?: string; id?: string }).eventId ?? (placed as { id: string }).id;
    const delivered = await eventually(
      'the other tenant’s event',
      async () => {
        const d = await deliveries.get(endpoint.tenantId, endpoint.endpointId, placedId);
        return d?.state === 'delivered' ? d : undefined;
      },
      TIMEOUT_MS * 4,
    );
    expect(delivered.attempts).toHaveLength(1);
    expect(receiver.received('/prompt')).toHaveLength(1);
    // Attempted as soon as it was due, not once a slot of the flood's freed at its deadline.
    const waited = Date.parse(delivered.attempts[0]?.at ?? '') - Date.parse(delivered.createdAt);
    expect(waited).toBeLessThan(TIMEOUT_MS);

    // The flood's attempts all end at the deadline, as timeouts, and are tried again later.
    const floodDeliveries = async () =>
      (
        await Promise.all(
          floodEndpoints.map(
            async (e) =>
              // All 24 of each: the dispatcher's first pick is not the listing's first ten (newest
              // id first), so a page of 10 could miss every attempted one (a fresh-clone CI did).
              (
                await deliveries.listByEndpoint(e.tenantId, e.endpointId, { limit: floodIds.length })
              ).deliveries,
          ),
        )
      ).flat();
    const recorded: WebhookDelivery[] = await eventually(
      'the first 16 attempts recorded',
      async () => {
        const withAttempts = (await floodDeliveries()).filter((d) => d.attempts.length > 0);
        return withAttempts.length >= 16 ? withAttempts : undefined;
      },
      TIMEOUT_MS * 4,
    );
    for (const d of recorded)
      expect(d.attempts[0]).toMatchObject({ outcome: 'failed', status: 200, error: 'timed out' });
  }, 45_000);
});
