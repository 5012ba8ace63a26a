import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { WebhookSender } from '../../shared/adapters/webhook-http/webhook-sender.js';
import type { TenantTrailLine } from '../../shared/domain/webhook-delivery.js';
import { runDispatch } from '../../shared/services/webhook-dispatch-run.js';
import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';
import { storeEndpoint, webhookPipeline } from '../support/webhook-fixtures.js';

/**
 * One tenant's trickling receivers against another tenant's event, through the real sender and a
 * real receiver, on a table of its own (the due index is the whole table's).
 */
const table = useTestTable();
const ctx = { doc: table.doc, tableName: table.tableName };
const deliveries = new DynamoWebhookDeliveryStore(ctx);
const TIMEOUT_MS = 1500;

/** `/trickle/...`: 200 at once, then a byte every 200 ms for ever; `/ok/...`: 200 and done. */
const arrived = new Map<string, number>();
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      arrived.set((JSON.parse(body) as { id: string }).id, Date.now());
      res.writeHead(200);
      if (req.url?.startsWith('/ok/')) return void res.end('ok');
      const drip = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(drip));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const pipeline = () =>
  webhookPipeline(ctx, new WebhookSender({ mode: 'local', timeoutMs: TIMEOUT_MS }), {
    settings: { timeoutMs: TIMEOUT_MS },
  });

let seq = 0;
const placed = (tenantId: string, orderId: string): TenantTrailLine => ({
  tenantId,
  line: {
    eventId: `evt_${String(++seq).padStart(26, '0')}`,
    type: 'order.placed',
    at: new Date().toISOString(),
    orderId,
  },
});
const shardOf = (endpointId: string) => keys.webhookDue('t', endpointId, 'e', 'x').gsi1pk;

/** A tenant with trickling endpoints and `orders` orders placed: one due delivery per endpoint and order. */
async function aTricklingTenant(endpointIds: string[], orders: number) {
  const tenantId = uniqueId('tenant');
  for (const endpointId of endpointIds)
    await storeEndpoint(ctx, { tenantId, endpointId, url: `${base}/trickle/${endpointId}` });
  const lines = Array.from({ length: orders }, () => placed(tenantId, uniqueId('ord')));
  return { tenantId, endpointIds, lines };
}

async function aPromptTenant() {
  const tenantId = uniqueId('tenant');
  const endpointId = uniqueId('whk');
  await storeEndpoint(ctx, { tenantId, endpointId, url: `${base}/ok/${endpointId}` });
  return { tenantId, endpointId, line: placed(tenantId, uniqueId('ord')) };
}

describe('the webhook dispatcher with a tenant whose receivers trickle', () => {
  it("attempts another tenant's event on the next tick, and cuts and records the trickling ones as timeouts", async () => {
    const { fanOut, dispatcher } = pipeline();
    const flood = await aTricklingTenant(
      Array.from({ length: 16 }, () => uniqueId('whk')),
      8,
    );
    expect(await fanOut.handle(flood.lines)).toMatchObject({ queued: 128 });
    const first = await dispatcher.tick();
    expect(first.started).toBe(16); // its share of the 64 slots, not all of them
    const floodStarted = Date.now();

    const prompt = await aPromptTenant();
    await fanOut.handle([prompt.line]);
    const second = await dispatcher.tick();
    expect(second.started).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => arrived.has(prompt.line.line.eventId), { timeout: 1000, interval: 20 })
      .toBe(true);
    // It did not wait for a trickling attempt to end.
    expect((arrived.get(prompt.line.line.eventId) ?? Infinity) - floodStarted).toBeLessThan(TIMEOUT_MS);

    await dispatcher.drain();
    expect(Date.now() - floodStarted).toBeLessThan(TIMEOUT_MS + 2000);
    const attempted = (
      await Promise.all(
        flood.endpointIds.map(
          async (endpointId) =>
            (
              await deliveries.listByEndpoint(flood.tenantId, endpointId, { limit: 10 })
            ).deliveries,
        ),
      )
    )
      .flat()
      .filter((d) => d.attempts.length > 0);
    expect(attempted).toHaveLength(16);
    for (const delivery of attempted) {
      expect(delivery.state).toBe('pending'); // retried per the policy
      expect(delivery.attempts).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          status: 200,
          error: 'timed out',
          nextAttemptAt: expect.any(String),
        }),
      ]);
      expect(delivery.attempts[0]?.latencyMs).toBeLessThan(TIMEOUT_MS + 500);
    }
    expect(await deliveries.get(prompt.tenantId, prompt.endpointId, prompt.line.line.eventId)).toMatchObject({
      state: 'delivered',
    });
  });

  it("finds another tenant's event behind a backlog of older due deliveries in its shard, on the first tick", async () => {
    const prompt = await aPromptTenant();
    // Two endpoints in the prompt tenant's due shard, 60 orders each: 120 older rows in front of it.
    const sameShard: string[] = [];
    while (sameShard.length < 2) {
      const id = uniqueId('whk');
      if (shardOf(id) === shardOf(prompt.endpointId)) sameShard.push(id);
    }
    const { fanOut, dispatcher } = pipeline();
    const backlog = await aTricklingTenant(sameShard, 60);
    expect(await fanOut.handle(backlog.lines)).toMatchObject({ queued: 120 });
    await fanOut.handle([prompt.line]);

    await dispatcher.tick();
    await expect
      .poll(() => arrived.has(prompt.line.line.eventId), { timeout: 1000, interval: 20 })
      .toBe(true);
    await dispatcher.drain();
  });

  it('ends a run with every attempt recorded by its deadline plus one attempt, however long the receivers trickle', async () => {
    const { fanOut, dispatcher } = pipeline();
    const flood = await aTricklingTenant([uniqueId('whk'), uniqueId('whk')], 4);
    await fanOut.handle(flood.lines);
    const started = Date.now();
    const run = await runDispatch(dispatcher, { until: started + 1000, tickMs: 200, idleTicksToEnd: 3 });
    expect(run.started).toBeGreaterThanOrEqual(8);
    expect(Date.now() - started).toBeLessThan(1000 + TIMEOUT_MS + 1000);
    for (const endpointId of flood.endpointIds) {
      const { deliveries: mine } = await deliveries.listByEndpoint(flood.tenantId, endpointId, { limit: 10 });
      for (const d of mine) expect(d.attempts.map((a) => a.error)).toEqual(['timed out']);
    }
  });
});
