import { describe, expect, it } from 'vitest';
import type { TenantTrailLine } from '../../shared/domain/webhook-delivery.js';
import type { TransportAttempt, WebhookTransport } from '../../shared/ports/webhook-transport.js';
import { runDispatch } from '../../shared/services/webhook-dispatch-run.js';
import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';
import { storeEndpoint, webhookPipeline } from '../support/webhook-fixtures.js';

/**
 * When the dispatcher is idle, on a table of its own (the due index is the whole table's):
 * idleness is what ends a scheduled run early, so it must never be claimed while a delivery is
 * due or an attempt is in flight.
 */
const table = useTestTable();
const ctx = { doc: table.doc, tableName: table.tableName };
const ok: TransportAttempt = { outcome: 'delivered', status: 200, latencyMs: 1 };

/** A transport whose answers wait until the test lets them go. */
class HeldTransport implements WebhookTransport {
  readonly sent: string[] = [];
  private release: (() => void)[] = [];
  held = true;
  async send(_url: string, body: string): Promise<TransportAttempt> {
    this.sent.push((JSON.parse(body) as { id: string }).id);
    if (this.held) await new Promise<void>((resolve) => this.release.push(resolve));
    return ok;
  }
  letGo(): void {
    for (const resolve of this.release.splice(0)) resolve();
  }
}

let seq = 0;
async function anOrderWithEvents(count: number) {
  const tenantId = uniqueId('tenant');
  await storeEndpoint(ctx, { tenantId, endpointId: uniqueId('whk'), url: 'https://hooks.example.com/idle' });
  const orderId = uniqueId('ord');
  const lines: TenantTrailLine[] = ['order.placed', 'payment.received', 'order.revealed']
    .slice(0, count)
    .map((type) => ({
      tenantId,
      line: {
        eventId: `evt_${String(++seq).padStart(26, '0')}`,
        type,
        at: new Date().toISOString(),
        orderId,
      },
    }));
  return lines;
}

const pipeline = (transport: WebhookTransport) => webhookPipeline(ctx, transport);

describe('an idle webhook dispatcher', () => {
  it('is idle only with nothing due and nothing in flight', async () => {
    const transport = new HeldTransport();
    const { fanOut, dispatcher } = pipeline(transport);
    expect(await dispatcher.tick()).toEqual({ started: 0, idle: true });

    const events = await anOrderWithEvents(2);
    await fanOut.handle(events);
    expect(await dispatcher.tick()).toEqual({ started: 1, idle: false });
    // The head's attempt is in flight, and the next event waits for it: nothing is due, yet not idle.
    await expect.poll(() => transport.sent.length).toBe(1);
    expect(await dispatcher.tick()).toEqual({ started: 0, idle: false });

    transport.letGo();
    await dispatcher.drain();
    transport.held = false;
    // The delivered head made the next event due.
    expect(await dispatcher.tick()).toEqual({ started: 1, idle: false });
    await dispatcher.drain();
    expect(await dispatcher.tick()).toEqual({ started: 0, idle: true });
    expect(transport.sent).toEqual(events.map((e) => e.line.eventId));
  });

  it('lets a scheduled run deliver an order’s events one after another, then end idle', async () => {
    const transport = new HeldTransport();
    transport.held = false;
    const { fanOut, dispatcher } = pipeline(transport);
    const events = await anOrderWithEvents(3);
    await fanOut.handle(events);
    const run = await runDispatch(dispatcher, { until: Date.now() + 15_000, tickMs: 20, idleTicksToEnd: 3 });
    expect(run).toMatchObject({ started: 3, ended: 'idle' });
    expect(transport.sent).toEqual(events.map((e) => e.line.eventId));
  });
});
