import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import { createLocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import { createLogger } from '../../shared/adapters/logging/pino-logger.js';
import { endpointUrlPolicy } from '../../shared/adapters/webhook-http/endpoint-url-policy.js';
import { loadSettings } from '../../shared/config/config.js';
import { createApp } from '../../shared/http/app.js';
import { allRoutes } from '../../shared/http/routes/all-routes.js';
import { DEMO_BRANDS, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';
import { noMetrics } from '../../shared/ports/metrics.js';
import { createVault } from '../../shared/services/vault.js';
import { useTestTable } from '../support/dynamo.js';
import { FAULT_MODES, type FaultMode, FaultPlan } from '../support/fault-injector.js';
import { eventsOf, expectProblem } from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aListing, anOrder, depositFresh, mintCode, pay, unique } from '../support/scenario.js';
import { TestClock } from '../support/test-clock.js';
import type { HttpResult, TestStack } from '../support/test-stack.js';

/**
 * Issue 8 item 3: every port call of a flow fails in turn (k = 1, 2, … until the flow makes fewer
 * than k calls), as an outage or as a committed write whose answer was lost; the same request is
 * then retried with faults off and the invariants must hold. Real composition (createVault) over
 * DynamoDB Local, the local cipher and the simulated issuer; the routes through app.request.
 */
const table = useTestTable();
const plan = new FaultPlan();
let stack: TestStack;
let issuerSim: IssuerSimServer;

beforeAll(async () => {
  const clock = new TestClock();
  issuerSim = await startIssuerSim({ port: 0, clock });
  const logger = createLogger({ level: 'silent' });
  const real = createDynamoStores({ doc: table.doc, tableName: table.tableName });
  const stores = {
    tenants: plan.wrap('tenants', real.tenants),
    catalog: plan.wrap('catalog', real.catalog),
    orders: plan.wrap('orders', real.orders),
    reports: plan.wrap('reports', real.reports),
    parties: plan.wrap('parties', real.parties),
    webhookEndpoints: real.webhookEndpoints,
  };
  const keyFile = join(await mkdtemp(join(tmpdir(), 'card-vault-faults-')), 'keys.json');
  const vault = createVault({
    stores,
    cipher: plan.wrap('cipher', await createLocalCodeCipher({ keyFile })),
    issuer: plan.wrap('issuer', new HttpIssuer()),
    clock: plan.wrap('clock', clock, false),
    ids: ulidIdGenerator,
    endpointUrls: endpointUrlPolicy('aws'),
    logger,
    settings: loadSettings({}),
    metrics: noMetrics,
  });
  for (const format of DEMO_BRANDS) await vault.tenants.registerBrand(demoBrand(format, issuerSim.url));
  const { apiKey } = await vault.tenants.create('faults');
  const app = createApp({ tenants: vault.tenants, logger, modules: allRoutes(vault) });
  const parse = async (response: Response): Promise<HttpResult> => {
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body, text };
  };
  const request: TestStack['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, ...(options.headers ?? {}) };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return parse(
      await app.request(path, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      }),
    );
  };
  stack = {
    vault,
    clock,
    tableName: table.tableName,
    dynamodbEndpoint: inject('dynamoEndpoint'),
    request,
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      request('POST', path, { ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) }),
    get: (path: string) => request('GET', path),
    issuer: async (path: string, body: unknown) =>
      parse(
        await fetch(`${issuerSim.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      ),
  } as unknown as TestStack;
});

afterAll(async () => {
  await issuerSim?.close();
});

/** A faulted answer is the success itself (the fault landed after the answer was decided) or a 503 problem. */
function expectSuccessOr503(res: HttpResult, success: number): void {
  if (res.status === success) return;
  expectProblem(res, 503, 'dependency-unavailable');
}

async function expectOrderExplainedByTrail(orderId: string): Promise<void> {
  const order = (await stack.get(`/v1/orders/${orderId}`)).body;
  const events = await eventsOf(stack, orderId);
  // Re-deliveries carry no `to`: the last event that moved the order names its state.
  const moves = events.filter((e) => typeof e.to === 'string');
  expect(moves.at(-1)?.to, JSON.stringify(events)).toBe(order.state);
}

/**
 * Runs `flow` once per k with the k-th port call failing in `mode`, until a run makes fewer than
 * k calls. `prepare` builds the flow's precondition with faults off; `attempt` sends the request
 * (the same one on retry); `check` asserts the invariants after the fault-free retry.
 */
async function everyK<P>(
  mode: FaultMode,
  prepare: () => Promise<P>,
  attempt: (p: P) => Promise<HttpResult>,
  success: number,
  check: (p: P, faulted: HttpResult, retried: HttpResult) => Promise<void>,
): Promise<number> {
  for (let k = 1; ; k++) {
    plan.off();
    const p = await prepare();
    plan.arm(k, mode);
    const faulted = await attempt(p);
    const made = plan.made;
    plan.off();
    expectSuccessOr503(faulted, success);
    const retried = await attempt(p);
    expect(retried.status, `k=${k} ${mode}: ${retried.text}`).toBe(success);
    await check(p, faulted, retried);
    if (made < k) return k - 1;
  }
}

// Each test replays its flow once per port call (k = 1..n), so it needs more than the default 20 s on a busy machine.
describe.each(FAULT_MODES)('a %s at every port call', { timeout: 180_000 }, (mode) => {
  it('deposit: each code stored once, available, its fingerprint held', async () => {
    const calls = await everyK(
      mode,
      async () => ({ listing: await aListing(stack), minted: await mintCode(stack) }),
      ({ listing, minted }) =>
        stack.post(`/v1/listings/${listing.listingId}/cards`, { cards: [{ code: minted.code }] }),
      200,
      async ({ listing, minted }, _faulted, retried) => {
        const result = retried.body.results[0];
        // A lost answer may have stored the card: the retry then meets its own fingerprint.
        expect(result.outcome === 'accepted' || result.reason === 'duplicate', retried.text).toBe(true);
        const stock = (await stack.get(`/v1/listings/${listing.listingId}`)).body.stock;
        expect(stock.available, JSON.stringify(stock)).toBe(1);
        // The fingerprint is held: the same code on another listing is refused.
        const other = await aListing(stack);
        const again = await stack.post(`/v1/listings/${other.listingId}/cards`, {
          cards: [{ code: minted.code }],
        });
        expect(again.body.results[0].reason, again.text).toBe('duplicate');
      },
    );
    expect(calls).toBeGreaterThan(3);
  });

  it('order: one order per Idempotency-Key, one card reserved, trail explains state', async () => {
    await everyK(
      mode,
      async () => {
        const listing = await aListing(stack);
        await depositFresh(stack, listing.listingId, 2);
        return { listing, buyerId: unique('buyer'), key: unique('order') };
      },
      ({ listing, buyerId, key }) =>
        stack.post(
          '/v1/orders',
          { listingId: listing.listingId, buyerId, quantity: 1 },
          { 'idempotency-key': key },
        ),
      201,
      async ({ listing }, faulted, retried) => {
        if (faulted.status === 201) expect(retried.body.orderId).toBe(faulted.body.orderId);
        const stock = (await stack.get(`/v1/listings/${listing.listingId}`)).body.stock;
        expect(stock.available, JSON.stringify(stock)).toBe(1);
        await expectOrderExplainedByTrail(retried.body.orderId);
      },
    );
    await expectLedgerInvariant(stack);
  });

  it('payment: applied once per paymentRef, ledger balanced', async () => {
    await everyK(
      mode,
      async () => {
        const listing = await aListing(stack);
        await depositFresh(stack, listing.listingId, 1);
        const { order } = await anOrder(stack, listing.listingId);
        return { order, paymentRef: unique('pay') };
      },
      ({ order, paymentRef }) =>
        stack.post(`/v1/orders/${order.orderId}/payment`, { paymentRef, amount: order.amount }),
      200,
      async ({ order }) => {
        const now = (await stack.get(`/v1/orders/${order.orderId}`)).body;
        expect(now.state).toBe('paid');
        await expectOrderExplainedByTrail(order.orderId);
        await expectLedgerInvariant(stack);
      },
    );
  });

  it('reveal: the code goes to the buyer with the winning key only, never to another key', async () => {
    await everyK(
      mode,
      async () => {
        const listing = await aListing(stack);
        const [card] = await depositFresh(stack, listing.listingId, 1);
        const { order, buyerId } = await anOrder(stack, listing.listingId);
        await pay(stack, order);
        // The reveal answers the code normalized (no separators).
        const code = String(card?.code).replace(/-/g, '');
        return { orderId: order.orderId as string, buyerId, code, key: unique('reveal') };
      },
      ({ orderId, buyerId, key }) =>
        stack.post(`/v1/orders/${orderId}/reveal`, { buyerId }, { 'idempotency-key': key }),
      200,
      async ({ orderId, buyerId, code }, faulted, retried) => {
        expect(retried.text).toContain(code);
        if (faulted.status === 200) expect(faulted.text).toContain(code);
        const other = await stack.post(
          `/v1/orders/${orderId}/reveal`,
          { buyerId },
          { 'idempotency-key': unique('r') },
        );
        expect(other.text).not.toContain(code);
        expect(other.status).toBeGreaterThanOrEqual(400);
        await expectOrderExplainedByTrail(orderId);
        await expectLedgerInvariant(stack);
      },
    );
  });

  it('confirm: the order completes once, ledger balanced', async () => {
    await everyK(
      mode,
      async () => {
        const listing = await aListing(stack);
        await depositFresh(stack, listing.listingId, 1);
        const { order, buyerId } = await anOrder(stack, listing.listingId);
        await pay(stack, order);
        const shown = await stack.post(
          `/v1/orders/${order.orderId}/reveal`,
          { buyerId },
          { 'idempotency-key': unique('r') },
        );
        expect(shown.status, shown.text).toBe(200);
        return { orderId: order.orderId as string, buyerId };
      },
      ({ orderId, buyerId }) => stack.post(`/v1/orders/${orderId}/confirm`, { buyerId }),
      200,
      async ({ orderId }) => {
        await expectOrderExplainedByTrail(orderId);
        await expectLedgerInvariant(stack);
      },
    );
  });
});
