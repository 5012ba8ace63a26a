import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeenPayment, type SeenReveal, saleViolations } from '../../bench/support/sale-invariants.js';
import { gatherSaleWorld } from '../../bench/support/sale-world.js';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { loadLocalConfig } from '../../shared/config/config.js';
import { DEPENDENCY_UNAVAILABLE_DETAIL } from '../../shared/http/problem.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';
import { startLocalStack } from '../../shared/local/local-stack.js';
import { expectProblem } from '../support/fraud-helpers.js';
import { aListing, depositFresh, unique } from '../support/scenario.js';
import { type HttpResult, startTestStack, type TestStack } from '../support/test-stack.js';

/**
 * Issue 8 item 4: DynamoDB Local, with its data on disk, is SIGKILLed in the middle of a burst
 * of concurrent sales and restarted on the same data directory and port. The same port models
 * a real outage: the vault's endpoint does not move when DynamoDB fails, its client keeps it and
 * reconnects. Every client retries what got no definite answer (a 503) with the same keys, as
 * a marketplace would, and the sale invariants (bench/support/sale-invariants.ts, shared with
 * `npm run soak`) must hold. No timing is asserted: the kill comes after a count of answers, and
 * the database comes back only once every client is waiting on a 503.
 *
 * Known to fail now and then (1 run in 3 of the full suite on 2026-12-02): DynamoDB Local itself
 * can lose its last acknowledged transaction, whole, when SIGKILLed (2 kills in 10 with
 * test/support/dynamodb-local-durability.ts), and an order answered 201 is then missing after the
 * restart. The fix to come: record per acknowledged write whether it survived, and hold the vault
 * to its invariants over what the emulator kept (a whole lost transaction is the emulator's).
 */
const SALES = 12;
const KILL_AFTER_ANSWERS = 10;

type Phase = 'before' | 'killing' | 'outage' | 'after';

describe('crash consistency: DynamoDB Local SIGKILLed during a burst of sales, restarted on its data', () => {
  let dataDir: string;
  let dynamo: DynamoDbLocal;
  let stack: TestStack;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'card-vault-crash-'));
    dynamo = await startDynamoDbLocal({ port: 0, inMemory: false, dataDir });
    stack = await startTestStack({ DYNAMODB_ENDPOINT: dynamo.endpoint });
  });
  afterAll(async () => {
    await stack?.stop();
    await dynamo?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every sale invariant, answers 503 during the outage, and /health follows the database', async () => {
    const listings = await Promise.all(Array.from({ length: 3 }, () => aListing(stack)));
    const deposited = (
      await Promise.all(
        listings.map(async (l) =>
          (await depositFresh(stack, l.listingId, 5)).map((c) => ({ ...c, listingId: l.listingId })),
        ),
      )
    ).flat();

    let phase: Phase = 'before';
    const answers: Array<{ phase: Phase; route: string; res: HttpResult }> = [];
    // Clients that got a 503 wait here; each release() lets all of them retry once.
    let wake!: () => void;
    let gate = new Promise<void>((done) => {
      wake = done;
    });
    const release = () => {
      const woken = wake;
      gate = new Promise<void>((done) => {
        wake = done;
      });
      woken();
    };
    let killed!: () => void;
    const killNow = new Promise<void>((done) => {
      killed = done;
    });
    let running = SALES;
    let inBurst = false;
    let definite = 0;
    let parked = 0;

    /** Sends until a definite answer: a 503 waits for the database to come back, then retries the same request. */
    const send = async (route: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
      for (;;) {
        const sentIn = phase;
        const res = await stack.post(path, body, headers);
        answers.push({ phase: sentIn, route, res });
        if (inBurst && res.status !== 503 && ++definite === KILL_AFTER_ANSWERS) killed();
        if (res.status !== 503) return res;
        parked += 1;
        await gate;
        parked -= 1;
      }
    };

    const reveals: SeenReveal[] = [];
    const payments: SeenPayment[] = [];
    const orderIds: string[] = [];
    /** One sale's steps; each asserts its definite answer. */
    const steps = (i: number) => {
      const buyerId = unique(`buyer-${i}`);
      const listingId = listings[i % listings.length]?.listingId as string;
      let order: { orderId: string; amount: unknown } | undefined;
      const orderOf = () => order as { orderId: string; amount: unknown };
      return [
        async () => {
          const key = unique('order');
          const placed = await send(
            'order',
            '/v1/orders',
            { listingId, buyerId },
            { 'idempotency-key': key },
          );
          expect(placed.status, placed.text).toBe(201);
          order = placed.body;
          orderIds.push(placed.body.orderId);
        },
        async () => {
          // Two callbacks of the same payment, and a second payment that must not apply.
          const { orderId, amount } = orderOf();
          const paymentRef = unique('pay');
          const path = `/v1/orders/${orderId}/payment`;
          for (const paid of await Promise.all([
            send('payment', path, { paymentRef, amount }),
            send('payment', path, { paymentRef, amount }),
          ])) {
            expect(paid.status, paid.text).toBe(200);
            payments.push({ orderId, paymentRef });
          }
          const other = await send('payment', path, { paymentRef: unique('pay'), amount });
          expectProblem(other, 409, 'already-paid');
        },
        async () => {
          // The buyer and a stranger reveal at once; then the buyer again, with another key.
          const { orderId } = orderOf();
          const path = `/v1/orders/${orderId}/reveal`;
          const key = unique('reveal');
          const stranger = { buyerId: unique('stranger') };
          const [mine, theirs] = await Promise.all([
            send('reveal', path, { buyerId }, { 'idempotency-key': key }),
            send('reveal', path, stranger, { 'idempotency-key': unique('reveal') }),
          ]);
          expect(mine.status, mine.text).toBe(200);
          expectProblem(theirs, 404, 'not-found');
          reveals.push({ orderId, buyerId, key, cards: mine.body.cards });
          const again = await send('reveal', path, { buyerId }, { 'idempotency-key': unique('reveal') });
          expectProblem(again, 409, 'already-revealed');
        },
        async () => {
          const confirmed = await send('confirm', `/v1/orders/${orderOf().orderId}/confirm`, { buyerId });
          expect(confirmed.status, confirmed.text).toBe(200);
          expect(confirmed.body.state).toBe('released');
        },
      ];
    };
    // Sales start the burst at different steps (placed, paid, revealed before it), so the kill
    // meets orders, payments, reveals and confirms in flight.
    const sales = Array.from({ length: SALES }, (_, i) => ({ steps: steps(i), head: i % 4 }));
    for (const sale of sales) for (const step of sale.steps.slice(0, sale.head)) await step();
    inBurst = true;
    const burst = Promise.all(
      sales.map(async (sale) => {
        for (const step of sale.steps.slice(sale.head)) await step();
        running -= 1;
      }),
    );

    await killNow;
    phase = 'killing';
    process.kill(dynamo.pid, 'SIGKILL');
    while (isAlive(dynamo.pid)) await sleep(20);
    phase = 'outage';
    // Hold the outage open until every client still selling waits on a 503, then let each retry once in it.
    while (parked < running) await sleep(20);
    const waiting = running;
    expect(waiting, 'the kill came in the middle of the burst').toBeGreaterThan(0);
    release();
    while (answers.filter((a) => a.phase === 'outage').length < waiting || parked < running) await sleep(20);
    const health = await poll(
      () => stack.get('/health'),
      (r) => r.status === 503,
    );
    expectProblem(health, 503, 'dependency-unavailable');
    expect(health.body.checks).toEqual({ database: 'down' });

    phase = 'after';
    dynamo = await startDynamoDbLocal({ port: dynamo.port, inMemory: false, dataDir });
    release();
    await burst;
    const healthy = await poll(
      () => stack.get('/health'),
      (r) => r.status === 200,
    );
    expect(healthy.body).toEqual({ status: 'ok', checks: { database: 'up' } });

    const duringOutage = answers.filter((a) => a.phase === 'outage');
    expect(duringOutage.length, 'clients met the outage').toBeGreaterThanOrEqual(waiting);
    for (const { res } of [...duringOutage, ...answers.filter((a) => a.res.status >= 500)]) {
      expectProblem(res, 503, 'dependency-unavailable');
      expect(res.body.detail).toBe(DEPENDENCY_UNAVAILABLE_DETAIL);
    }

    const { client, doc } = createDynamoClients({ endpoint: dynamo.endpoint });
    try {
      const world = await gatherSaleWorld({
        get: async (path) => {
          const res = await stack.get(path);
          expect(res.status, `${path}: ${res.text}`).toBe(200);
          return res.body;
        },
        catalog: createDynamoStores({ doc, tableName: stack.tableName }).catalog,
        tenantId: await stack.vault.tenants.authenticate(stack.devApiKey),
        deposited,
        orderIds,
        reveals,
        payments,
      });
      expect(world.orders).toHaveLength(SALES);
      expect(saleViolations(world)).toEqual([]);
      // The cards no sale took are still on sale.
      expect([...world.cards.values()].filter((c) => c.state === 'available')).toHaveLength(
        deposited.length - SALES,
      );
    } finally {
      client.destroy();
    }
  }, 90_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asks until `done` (the health probe caches its answer for a few seconds); the last answer either way. */
async function poll(ask: () => Promise<HttpResult>, done: (r: HttpResult) => boolean): Promise<HttpResult> {
  let res = await ask();
  for (let i = 0; i < 100 && !done(res); i++) {
    await sleep(100);
    res = await ask();
  }
  return res;
}

/** `npm start` on disk: a DynamoDB Local that dies is started again on its port and data (in memory it exits: database-outage.test.ts). */
describe('the local stack with its data on disk', () => {
  it('restarts a SIGKILLed DynamoDB Local on the same port and data, and serves what was there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'card-vault-restart-'));
    const said: string[] = [];
    const lost: string[] = [];
    const stack = await startLocalStack(
      loadLocalConfig({
        PORT: '0',
        ISSUER_SIM_PORT: '0',
        DYNAMODB_PORT: '0',
        IN_MEMORY: '0',
        TABLE_NAME: 'restart-test',
        LOCAL_KEY_FILE: join(dir, 'keys.json'),
        SWEEP_INTERVAL_SECONDS: '3600',
        LOG_LEVEL: 'silent',
      }),
      { dataDir: dir, say: (line) => said.push(line), onDatabaseLost: (m) => lost.push(m), webhooks: false },
    );
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${stack.devApiKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    let restartedPid: number | undefined;
    try {
      const created = await call('/v1/listings', {
        sellerId: 'alice',
        brand: 'demo-gift',
        faceValue: { amount: 5000, currency: 'EUR' },
        price: { amount: 4500, currency: 'EUR' },
      });
      expect(created.status).toBe(201);
      process.kill(stack.dynamodbPid as number, 'SIGKILL');
      for (let i = 0; i < 300 && !said.some((l) => l.startsWith('DynamoDB Local is back')); i++)
        await sleep(100);
      expect(said.join('\n')).toMatch(
        /DynamoDB Local \(pid \d+.*\) exited unexpectedly.*: restarting it on the same port and data \(1 of 3\)/,
      );
      const back = said.find((l) => l.startsWith('DynamoDB Local is back')) ?? '';
      expect(back).toContain(stack.dynamodbEndpoint);
      restartedPid = Number(/pid (\d+)/.exec(back)?.[1]);
      expect(restartedPid).not.toBe(stack.dynamodbPid);
      expect(lost).toEqual([]);
      const read = await poll(
        async () => ({
          ...(await call(`/v1/listings/${created.body.listingId}`)),
          headers: new Headers(),
          text: '',
        }),
        (r) => r.status === 200,
      );
      expect(read.body.listingId).toBe(created.body.listingId);
    } finally {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    }
    expect(isAlive(restartedPid as number), 'the restarted Java stops with the stack').toBe(false);
  }, 60_000);
});
