import { describe, expect, it } from 'vitest';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { InMemoryMetrics } from '../../shared/adapters/metrics/in-memory-metrics.js';
import type { TenantTrailLine } from '../../shared/domain/webhook-delivery.js';
import { defaultWebhookSettings } from '../../shared/domain/webhook-settings.js';
import type { TransportAttempt, WebhookTransport } from '../../shared/ports/webhook-transport.js';
import { WebhookDispatcher } from '../../shared/services/webhook-dispatcher.js';
import { WebhookFanOut } from '../../shared/services/webhook-fan-out.js';
import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Issue 9: what webhooks add to a sale, counted in DynamoDB requests on DynamoDB Local (an SDK
 * middleware sees every command). A tenant without endpoints must cost no write at all; with one
 * endpoint, the figures are printed for the README and held to a small bound.
 */
const table = useTestTable();
const ctx = { doc: table.doc, tableName: table.tableName };
let counted: string[] = [];
table.client.middlewareStack.add(
  (next, context) => async (args) => {
    const index = (args.input as { IndexName?: string }).IndexName;
    counted.push(`${String(context.commandName).replace(/Command$/, '')}${index ? `@${index}` : ''}`);
    return next(args);
  },
  { step: 'initialize', name: 'requestCounter' },
);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const tally = (names: string[]) =>
  names.reduce<Record<string, number>>((all, n) => Object.assign(all, { [n]: (all[n] ?? 0) + 1 }), {});

const ok: WebhookTransport = {
  send: async (): Promise<TransportAttempt> => ({ outcome: 'delivered', status: 200, latencyMs: 1 }),
};
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

/**
 * The trail lines of a 1-card sale the buyer confirms: placed, paid, revealed, released by the
 * buyer. They publish 5 events (the confirm is order.confirmed and order.released).
 */
let seq = 0;
const EVENTS_PER_SALE = 5;
const aSale = (tenantId: string): TenantTrailLine[] => {
  const orderId = uniqueId('ord');
  return ['order.placed', 'payment.received', 'order.revealed', 'order.released'].map((type) => {
    // Two apart: the confirmation takes the id just before the release's.
    seq += 2;
    return {
      tenantId,
      line: {
        eventId: `evt_${String(seq).padStart(26, '0')}`,
        type,
        at: new Date().toISOString(),
        orderId,
        actor: type === 'order.released' ? 'buyer' : 'marketplace',
      },
    };
  });
};

function pipeline() {
  const deps = {
    endpoints: new DynamoWebhookEndpointStore(ctx),
    deliveries: new DynamoWebhookDeliveryStore(ctx),
    clock: new TestClock(),
    logger: quiet,
    metrics: new InMemoryMetrics(() => {}),
    // As deployed: the endpoint list is kept per process (a sale's lines make one query).
    settings: defaultWebhookSettings,
  };
  return { fanOut: new WebhookFanOut(deps), dispatcher: new WebhookDispatcher({ ...deps, transport: ok }) };
}

describe('what webhooks cost a sale, in DynamoDB requests', () => {
  it('costs a tenant without endpoints one cached query and no write', async () => {
    const { fanOut } = pipeline();
    counted = [];
    await fanOut.handle(aSale(uniqueId('tenant')));
    expect(counted.filter((n) => WRITES.has(n))).toEqual([]);
    expect(tally(counted)).toEqual({ Query: 1 });
  });

  it('costs a tenant with one endpoint a bounded number of requests per event, printed', async () => {
    const tenantId = uniqueId('tenant');
    await new DynamoWebhookEndpointStore(ctx).create({
      tenantId,
      endpointId: uniqueId('whk'),
      url: 'https://hooks.example.com/cv',
      eventTypes: ['*'],
      status: 'enabled',
      secrets: [{ secret: 'whsec_cost', createdAt: new Date().toISOString() }],
      createdAt: new Date().toISOString(),
      consecutiveFailures: 0,
    });
    const { fanOut, dispatcher } = pipeline();
    const sale = aSale(tenantId);
    counted = [];
    expect((await fanOut.handle(sale)).queued).toBe(EVENTS_PER_SALE);
    const fanOutRequests = tally(counted);
    counted = [];
    // One tick per event: each delivery of the order waits for the one before it.
    for (let i = 0; i < EVENTS_PER_SALE; i++) {
      await dispatcher.tick();
      await dispatcher.drain();
    }
    // The due-index scan (gsi1) is paid per tick, whatever the traffic: count it apart.
    const dispatchAll = tally(counted);
    const { 'Query@gsi1': dueScans = 0, ...dispatcherRequests } = dispatchAll;
    const perEvent = (all: Record<string, number>) =>
      Object.values(all).reduce((a, b) => a + b, 0) / EVENTS_PER_SALE;
    console.log(
      `webhooks, one endpoint, one confirmed sale (${EVENTS_PER_SALE} events): fan-out ${JSON.stringify(fanOutRequests)}, ` +
        `dispatcher ${JSON.stringify(dispatcherRequests)} plus ${dueScans} due-index queries over ${EVENTS_PER_SALE} ticks ` +
        `(paid per tick, not per sale); per event ${perEvent(fanOutRequests)} + ` +
        `${perEvent(dispatcherRequests).toFixed(2)} requests`,
    );
    expect(perEvent(fanOutRequests)).toBeLessThanOrEqual(3);
    expect(perEvent(dispatcherRequests)).toBeLessThanOrEqual(6);
  });
});
