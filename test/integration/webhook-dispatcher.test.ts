import { describe, expect, it } from 'vitest';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import type { TenantTrailLine } from '../../shared/domain/webhook-delivery.js';
import { defaultWebhookSettings } from '../../shared/domain/webhook-settings.js';
import type { TransportAttempt, WebhookTransport } from '../../shared/ports/webhook-transport.js';
import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';
import { TestClock } from '../support/test-clock.js';
import { storeEndpoint, webhookPipeline } from '../support/webhook-fixtures.js';

const table = useTestTable();
const ctx = { doc: table.doc, tableName: table.tableName };
const endpoints = new DynamoWebhookEndpointStore(ctx);
const deliveries = new DynamoWebhookDeliveryStore(ctx);

/** A transport that answers what it is told per URL and remembers what it was sent (the HTTP part has its own tests). */
class ScriptedTransport implements WebhookTransport {
  readonly sent: { url: string; id: string }[] = [];
  constructor(private readonly answer: (url: string) => TransportAttempt) {}
  async send(url: string, body: string): Promise<TransportAttempt> {
    this.sent.push({ url, id: (JSON.parse(body) as { id: string }).id });
    return this.answer(url);
  }
}

function setup(answer: (url: string) => TransportAttempt, retry = defaultWebhookSettings.retry) {
  const clock = new TestClock();
  const transport = new ScriptedTransport(answer);
  const { fanOut, dispatcher } = webhookPipeline(ctx, transport, { clock, settings: { retry } });
  const run = async () => {
    await dispatcher.tick();
    await dispatcher.drain();
  };
  return { clock, transport, fanOut, run };
}

const anEndpoint = (tenantId: string, url: string) =>
  storeEndpoint(ctx, { tenantId, endpointId: uniqueId('whk'), url });

let seq = 0;
function lines(tenantId: string, orderId: string, types: string[]): TenantTrailLine[] {
  return types.map((type) => ({
    tenantId,
    line: { eventId: `evt_${String(++seq).padStart(26, '0')}`, type, at: new Date().toISOString(), orderId },
  }));
}

const ok: TransportAttempt = { outcome: 'delivered', status: 200, latencyMs: 3 };
const down: TransportAttempt = { outcome: 'failed', status: 503, latencyMs: 3, error: 'status 503' };

describe('WebhookDispatcher on DynamoDB Local', () => {
  it('attempts only the head of an order’s queue, the next once the head is delivered', async () => {
    const tenantId = uniqueId('tenant');
    const endpoint = await anEndpoint(tenantId, 'https://a.example/hook');
    const { transport, fanOut, run } = setup(() => ok);
    const trail = lines(tenantId, 'ord_1', ['order.placed', 'payment.received', 'order.revealed']);
    await fanOut.handle(trail);
    const states = async () =>
      (await deliveries.listByEndpoint(tenantId, endpoint.endpointId, { limit: 10 })).deliveries.map(
        (d) => d.state,
      );
    expect(await states()).toEqual(['queued', 'queued', 'pending']);

    await run();
    expect(transport.sent.map((s) => s.id)).toEqual([trail[0]?.line.eventId]);
    expect(await states()).toEqual(['queued', 'pending', 'delivered']);
    await run();
    await run();
    expect(transport.sent.map((s) => s.id)).toEqual(trail.map((l) => l.line.eventId));
    expect(await states()).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it("sends a batch's events of one subject in id order, whatever order the stream gave them", async () => {
    // One transaction's items come off the stream in no set order: a suspension before the
    // penalties that caused it (whose ids sort before its own).
    const tenantId = uniqueId('tenant');
    await anEndpoint(tenantId, 'https://c.example/hook');
    const { transport, fanOut, run } = setup(() => ok);
    const base = seq;
    seq += 3;
    const seller = (type: string, n: number): TenantTrailLine => ({
      tenantId,
      line: {
        eventId: `evt_${String(base + n).padStart(26, '0')}`,
        type,
        at: new Date().toISOString(),
        sellerId: 'slr_9',
      },
    });
    const suspended = seller('seller.suspended', 3);
    const first = seller('seller.penalised', 1);
    const second = seller('seller.penalised', 2);
    expect(await fanOut.handle([suspended, first, second])).toMatchObject({ queued: 3 });
    for (let i = 0; i < 3; i++) await run();
    expect(transport.sent.map((x) => x.id)).toEqual([first, second, suspended].map((l) => l.line.eventId));
  });

  it('writes nothing for a tenant without endpoints, and nothing twice for a redelivered batch', async () => {
    const { fanOut } = setup(() => ok);
    expect(await fanOut.handle(lines(uniqueId('tenant'), 'ord_2', ['order.placed']))).toEqual({
      events: 1,
      queued: 0,
      duplicates: 0,
    });
    const tenantId = uniqueId('tenant');
    await anEndpoint(tenantId, 'https://b.example/hook');
    const batch = lines(tenantId, 'ord_3', ['order.placed', 'order.redelivered', 'order.expired']);
    expect(await fanOut.handle(batch)).toEqual({ events: 2, queued: 2, duplicates: 0 });
    expect(await fanOut.handle(batch)).toEqual({ events: 2, queued: 0, duplicates: 2 });
  });

  it('gives a delivery up after the retry window, and disables the endpoint after the threshold of such failures', async () => {
    const tenantId = uniqueId('tenant');
    const endpoint = await anEndpoint(tenantId, 'https://down.example/hook');
    const retry = {
      ...defaultWebhookSettings.retry,
      baseSeconds: 60,
      giveUpAfterSeconds: 90,
      disableAfterFailures: 2,
    };
    const { clock, transport, fanOut, run } = setup(() => down, retry);
    const [first, second, third] = lines(tenantId, 'ord_4', [
      'order.placed',
      'order.cancelled',
      'order.expired',
    ]);
    await fanOut.handle([first, second, third] as TenantTrailLine[]);

    await run(); // attempt 1 of the first: retry in 60 s
    clock.advance(61);
    await run(); // attempt 2: the next would be 120 s later, past the 90 s window: failed
    const failed = await deliveries.get(tenantId, endpoint.endpointId, first?.line.eventId ?? '');
    expect(failed?.state).toBe('failed');
    expect(failed?.attempts.map((a) => a.status)).toEqual([503, 503]);
    expect(failed?.attempts[0]?.nextAttemptAt).toBeDefined();
    expect((await endpoints.get(tenantId, endpoint.endpointId))?.consecutiveFailures).toBe(1);

    await run(); // the second is head now
    clock.advance(61);
    await run();
    const disabled = await endpoints.get(tenantId, endpoint.endpointId);
    expect(disabled?.status).toBe('disabled');
    expect(disabled?.consecutiveFailures).toBe(2);

    const before = transport.sent.length;
    await run(); // the third: not sent to a disabled endpoint, failed without an attempt
    expect(transport.sent.length).toBe(before);
    const dropped = await deliveries.get(tenantId, endpoint.endpointId, third?.line.eventId ?? '');
    expect(dropped?.state).toBe('failed');
    expect(dropped?.attempts.map((a) => a.error)).toEqual(['endpoint disabled']);
  });

  it('lets one dispatcher claim a due delivery, and sends again only a finished one', async () => {
    const tenantId = uniqueId('tenant');
    const endpoint = await anEndpoint(tenantId, 'https://c.example/hook');
    const { fanOut } = setup(() => ok);
    const [placed] = lines(tenantId, 'ord_5', ['order.placed']);
    await fanOut.handle([placed as TenantTrailLine]);
    const due = (await deliveries.listDue(new Date(Date.now() + 1000).toISOString(), 100)).find(
      (d) => d.endpointId === endpoint.endpointId,
    );
    if (!due) throw new Error('the delivery is not due');
    const lease = new Date(Date.now() + 60_000).toISOString();
    const [a, b] = await Promise.all([deliveries.claim(due, lease), deliveries.claim(due, lease)]);
    expect([a, b].filter((c) => c !== undefined)).toHaveLength(1);

    const eventId = placed?.line.eventId ?? '';
    expect(await deliveries.sendAgain(tenantId, endpoint.endpointId, eventId, new Date().toISOString())).toBe(
      'not-finished',
    );
    expect(
      await deliveries.sendAgain(tenantId, endpoint.endpointId, 'evt_none', new Date().toISOString()),
    ).toBe('not-found');
  });
});
