import { describe, expect, it } from 'vitest';
import { LIST_PRICES } from '../../bench/figures/prices.js';
import { WEBHOOK_FUNCTION_SPECS } from '../../infra/function-specs.js';
import {
  isReadCommand,
  type MeteredCall,
  meterDynamoClient,
} from '../../shared/adapters/dynamodb/capacity-meter.js';
import type { TenantTrailLine } from '../../shared/domain/webhook-delivery.js';
import type { TransportAttempt, WebhookTransport } from '../../shared/ports/webhook-transport.js';
import { DISPATCH_RUN, runDispatch } from '../../shared/services/webhook-dispatch-run.js';
import type { WebhookFanOut } from '../../shared/services/webhook-fan-out.js';
import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';
import { storeEndpoint, webhookPipeline } from '../support/webhook-fixtures.js';

/**
 * Issue 9: what webhooks add to a sale, counted on DynamoDB Local (every request, with the
 * capacity it consumed, through the bench's meter) and priced at list prices with the deployed
 * functions' memory. A tenant without endpoints must cost no write at all. The figures are
 * printed for docs/operations.md "Rough monthly cost"; the assertions hold what the design promises
 * (no write without endpoints, a bounded number of requests per event, an idle run that ends).
 *
 * Lambda time is this machine's wall time around the calls (DynamoDB Local answers in about the
 * time DynamoDB does from inside a region); a receiver's own answer time is an assumption, named.
 */
const table = useTestTable();
const ctx = { doc: table.doc, tableName: table.tableName };
let calls: MeteredCall[] = [];
meterDynamoClient(table.client, (call) => calls.push(call));

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const DUE_INDEX = 'gsi1';
/** An assumed receiver: answers in 150 ms (the dispatcher's Lambda waits for it). */
const RECEIVER_MS = 150;
const RUNS_PER_MONTH = 60 * 24 * 30;
const GB = (fn: keyof typeof WEBHOOK_FUNCTION_SPECS) => WEBHOOK_FUNCTION_SPECS[fn].memoryMb / 1024;
const { usd } = LIST_PRICES;

interface Tally {
  readonly requests: Record<string, number>;
  readonly count: number;
  readonly writes: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly ms: number;
}
/**
 * DynamoDB bills a read that finds nothing at least 0.5 RRU (an eventually consistent read, as
 * every index query is); DynamoDB Local reports 0 for it, and the idle dispatcher's queries are
 * exactly such reads.
 */
const billedReadUnits = (c: MeteredCall) =>
  isReadCommand(c.command) ? Math.max(0.5, c.readUnits) : c.readUnits;

function tally(list: readonly MeteredCall[]): Tally {
  const requests: Record<string, number> = {};
  for (const c of list) {
    const name = `${c.command}${c.index ? `@${c.index}` : ''}`;
    requests[name] = (requests[name] ?? 0) + 1;
  }
  return {
    requests,
    count: list.length,
    writes: list.filter((c) => WRITES.has(c.command)).length,
    readUnits: list.reduce((s, c) => s + billedReadUnits(c), 0),
    writeUnits: list.reduce((s, c) => s + c.writeUnits, 0),
    ms: list.reduce((s, c) => s + c.ms, 0),
  };
}
const dynamoUsd = (t: Tally) => t.readUnits * usd.readUnit + t.writeUnits * usd.writeUnit;
const lambdaUsd = (invocations: number, seconds: number, gb: number) =>
  invocations * usd.lambdaRequest + seconds * gb * usd.lambdaGbSecond;
const perMillion = (x: number) => (x * 1e6).toFixed(2);

const delivered: WebhookTransport = {
  send: async (): Promise<TransportAttempt> => ({ outcome: 'delivered', status: 200, latencyMs: 1 }),
};

/**
 * A 1-card sale the buyer confirms, as the stream delivers it: one trail line per transaction
 * (placed, paid, revealed, released by the buyer), 5 events (the buyer's release is
 * order.confirmed and order.released).
 */
let seq = 0;
const EVENTS_PER_SALE = 5;
function aSale(tenantId: string): TenantTrailLine[][] {
  const orderId = uniqueId('ord');
  return ['order.placed', 'payment.received', 'order.revealed', 'order.released'].map((type) => {
    // Two apart: the confirmation takes the id just before the release's.
    seq += 2;
    return [
      {
        tenantId,
        line: {
          eventId: `evt_${String(seq).padStart(26, '0')}`,
          type,
          at: new Date().toISOString(),
          orderId,
          actor: type === 'order.released' ? 'buyer' : 'marketplace',
        },
      },
    ];
  });
}

/**
 * Each transaction's stream batch may reach a different fan-out container, so the endpoint cache
 * is off: the figures are the most a sale can cost, not the cached best.
 */
const pipeline = () => webhookPipeline(ctx, delivered);

/** Fans a sale out one transaction at a time, as four invocations would; their DynamoDB calls and wall time. */
async function fanOutSale(fanOut: WebhookFanOut, sale: TenantTrailLine[][]) {
  calls = [];
  let queued = 0;
  const started = performance.now();
  for (const batch of sale) queued += (await fanOut.handle(batch)).queued;
  return {
    queued,
    invocations: sale.length,
    seconds: (performance.now() - started) / 1000,
    dynamo: tally(calls),
  };
}

describe('what webhooks cost, counted on DynamoDB Local and priced', () => {
  // First, on the still empty table: the due index holds nothing.
  it('ends an idle stage’s scheduled run after 3 ticks: cents a month, not 13 USD', async () => {
    const { dispatcher } = pipeline();
    calls = [];
    const started = performance.now();
    const run = await runDispatch(dispatcher, {
      until: Date.now() + DISPATCH_RUN.runMs,
      tickMs: DISPATCH_RUN.tickMs,
      idleTicksToEnd: DISPATCH_RUN.idleTicksToEnd,
    });
    const seconds = (performance.now() - started) / 1000;
    const idle = tally(calls);
    expect(run).toEqual({ started: 0, ticks: DISPATCH_RUN.idleTicksToEnd, ended: 'idle' });
    expect(idle.writes).toBe(0);
    expect(Object.keys(idle.requests)).toEqual([`Query@${DUE_INDEX}`]);

    // The run before this change ticked for its whole window: priced from the same tick's figures.
    const windowTicks = DISPATCH_RUN.runMs / DISPATCH_RUN.tickMs;
    const monthly = (runSeconds: number, ticks: number) =>
      RUNS_PER_MONTH *
      (lambdaUsd(1, runSeconds, GB('webhookDispatcher')) + (ticks / run.ticks) * dynamoUsd(idle));
    const now = monthly(seconds, run.ticks);
    const whole = monthly(DISPATCH_RUN.runMs / 1000, windowTicks);
    console.log(
      `webhooks, idle stage: a run of ${run.ticks} ticks, ${seconds.toFixed(2)} s, ${idle.count} due-index queries ` +
        `(${idle.readUnits} RRU): ${now.toFixed(2)} USD a month (${((RUNS_PER_MONTH * idle.count) / 1e6).toFixed(2)}M queries); ` +
        `ticking the whole ${DISPATCH_RUN.runMs / 1000} s window: ${whole.toFixed(2)} USD a month ` +
        `(${((RUNS_PER_MONTH * idle.count * windowTicks) / run.ticks / 1e6).toFixed(1)}M queries)`,
    );
    expect(now).toBeLessThan(whole / 5);
  });

  it('costs a sale of a tenant without endpoints reads only, and no write', async () => {
    const { fanOut } = pipeline();
    const sale = await fanOutSale(fanOut, aSale(uniqueId('tenant')));
    expect(sale.queued).toBe(0);
    expect(sale.dynamo.writes).toBe(0);
    // The tenant's endpoint list, read per event (the cache is off): the only request.
    expect(Object.keys(sale.dynamo.requests)).toEqual(['Query']);
    expect(sale.dynamo.count).toBeLessThanOrEqual(EVENTS_PER_SALE);
    const lambda = lambdaUsd(sale.invocations, sale.seconds, GB('webhookFanOut'));
    console.log(
      `webhooks, no endpoint, one confirmed sale: fan-out ${sale.invocations} invocations (${sale.seconds.toFixed(3)} s), ` +
        `DynamoDB ${JSON.stringify(sale.dynamo.requests)} ${sale.dynamo.readUnits} RRU 0 WRU; per million sales ` +
        `DynamoDB ${perMillion(dynamoUsd(sale.dynamo))} USD, Lambda ${perMillion(lambda)} USD, ` +
        `total ${perMillion(dynamoUsd(sale.dynamo) + lambda)} USD`,
    );
  });

  it('costs a sale of a tenant with one endpoint a bounded number of requests per event, priced', async () => {
    const tenantId = uniqueId('tenant');
    await storeEndpoint(ctx, { tenantId, endpointId: uniqueId('whk'), url: 'https://hooks.example.com/cv' });
    const { fanOut, dispatcher } = pipeline();
    const sale = await fanOutSale(fanOut, aSale(tenantId));
    expect(sale.queued).toBe(EVENTS_PER_SALE);

    // The dispatcher delivers the order's events one after another (each waits for the one
    // before it), in one run: a tick shorter than the deployed one (long enough for an attempt
    // to end before the next), the deployed tick's sleeps priced below.
    const tickMs = 250;
    calls = [];
    const started = performance.now();
    const run = await runDispatch(dispatcher, {
      until: Date.now() + 15_000,
      tickMs,
      idleTicksToEnd: DISPATCH_RUN.idleTicksToEnd,
    });
    const workSeconds = (performance.now() - started - (run.ticks - 1) * tickMs) / 1000;
    expect(run).toMatchObject({ started: EVENTS_PER_SALE, ended: 'idle' });
    // The due-index queries are paid per tick, whatever the traffic: counted apart.
    const dueScans = calls.filter((c) => c.index === DUE_INDEX);
    const attempts = tally(calls.filter((c) => c.index !== DUE_INDEX));

    const perEvent = (t: Tally) => t.count / EVENTS_PER_SALE;
    expect(perEvent(sale.dynamo)).toBeLessThanOrEqual(3);
    expect(perEvent(attempts)).toBeLessThanOrEqual(6);

    const dynamo = dynamoUsd(sale.dynamo) + dynamoUsd(attempts);
    const fanOutLambda = lambdaUsd(sale.invocations, sale.seconds, GB('webhookFanOut'));
    // A busy stage: the run is going anyway; the sale adds its attempts' time and the receiver's.
    const busySeconds = attempts.ms / 1000 + (EVENTS_PER_SALE * RECEIVER_MS) / 1000;
    const busyLambda = fanOutLambda + lambdaUsd(0, busySeconds, GB('webhookDispatcher'));
    // A quiet stage: the sale alone keeps a run going, tick by tick, and pays its idle ticks too.
    const quietSeconds =
      workSeconds + ((run.ticks - 1) * DISPATCH_RUN.tickMs) / 1000 + busySeconds - attempts.ms / 1000;
    const quietLambda = fanOutLambda + lambdaUsd(1, quietSeconds, GB('webhookDispatcher'));
    console.log(
      `webhooks, one endpoint, one confirmed sale (${EVENTS_PER_SALE} events): ` +
        `fan-out ${sale.invocations} invocations ${JSON.stringify(sale.dynamo.requests)} ` +
        `${sale.dynamo.readUnits} RRU ${sale.dynamo.writeUnits} WRU; ` +
        `dispatcher ${run.started} attempts ${JSON.stringify(attempts.requests)} ${attempts.readUnits} RRU ` +
        `${attempts.writeUnits} WRU, plus ${dueScans.length} due-index queries over ${run.ticks} ticks (paid per tick). ` +
        `Per million sales: DynamoDB ${perMillion(dynamo)} USD; Lambda ${perMillion(busyLambda)} USD on a busy stage ` +
        `(receiver ${RECEIVER_MS} ms), ${perMillion(quietLambda)} USD on a quiet one (${run.ticks} ticks of ` +
        `${DISPATCH_RUN.tickMs} ms for this sale alone); total ${perMillion(dynamo + busyLambda)} to ` +
        `${perMillion(dynamo + quietLambda)} USD`,
    );
  });
});
