import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import { createLocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import { LocalLinkMac } from '../../shared/adapters/local-cipher/local-link-mac.js';
import { createLocalWebhookSecretCipher } from '../../shared/adapters/local-cipher/local-webhook-secret-cipher.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { endpointUrlPolicy } from '../../shared/adapters/webhook-http/endpoint-url-policy.js';
import { loadSettings } from '../../shared/config/config.js';
import { DependencyUnavailableError } from '../../shared/domain/errors.js';
import type { Order } from '../../shared/domain/order.js';
import { createApp } from '../../shared/http/app.js';
import { allRoutes } from '../../shared/http/routes/all-routes.js';
import { DEMO_BRANDS, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';
import { noMetrics } from '../../shared/ports/metrics.js';
import type { SweepResult } from '../../shared/services/sweeper.js';
import { createVault } from '../../shared/services/vault.js';
import { useTestTable } from './dynamo.js';
import { aTestEvidenceSigner } from './evidence-signer.js';
import { type FaultMode, FaultPlan } from './fault-injector.js';
import { eventsOf, expectProblem } from './fraud-helpers.js';
import { ledgerBreaches } from './ledger-invariant.js';
import { TestClock } from './test-clock.js';
import type { HttpResult, TestStack } from './test-stack.js';
import { UNLIMITED } from './test-stack.js';

/**
 * The fault tests' stack (issue 8 item 3): the real composition (createVault) over DynamoDB Local,
 * the local cipher and the simulated issuer, every port wrapped by one FaultPlan, the routes
 * through app.request. `raw` are the same stores unwrapped: what the table holds, read without
 * applying due transitions (a GET would finish a sweep's work itself and hide a failed one).
 */
export interface FaultStack {
  readonly plan: FaultPlan;
  readonly stack: TestStack;
  readonly raw: ReturnType<typeof createDynamoStores>;
  readonly tenantId: string;
}

export function useFaultStack(): FaultStack {
  const table = useTestTable();
  const plan = new FaultPlan();
  const raw = createDynamoStores({ doc: table.doc, tableName: table.tableName });
  const built = { plan, raw } as { -readonly [K in keyof FaultStack]: FaultStack[K] };
  let issuerSim: IssuerSimServer | undefined;

  beforeAll(async () => {
    const clock = new TestClock();
    issuerSim = await startIssuerSim({ port: 0, clock });
    const logger = createLogger({ level: 'silent' });
    const stores = {
      tenants: plan.wrap('tenants', raw.tenants),
      catalog: plan.wrap('catalog', raw.catalog),
      orders: plan.wrap('orders', raw.orders),
      reports: plan.wrap('reports', raw.reports),
      parties: plan.wrap('parties', raw.parties),
      webhookEndpoints: raw.webhookEndpoints,
      webhookDeliveries: raw.webhookDeliveries,
      links: raw.links,
      rateBuckets: plan.wrap('rateBuckets', raw.rateBuckets),
      depositBudgets: raw.depositBudgets,
    };
    const keyFile = join(await mkdtemp(join(tmpdir(), 'card-vault-faults-')), 'keys.json');
    const vault = createVault({
      stores,
      cipher: plan.wrap('cipher', await createLocalCodeCipher({ keyFile })),
      webhookSecrets: plan.wrap('webhookSecrets', await createLocalWebhookSecretCipher({ keyFile })),
      issuer: plan.wrap('issuer', new HttpIssuer({ mode: 'local' })),
      clock: plan.wrap('clock', clock, false),
      ids: ulidIdGenerator,
      endpointUrls: endpointUrlPolicy('aws'),
      evidenceSigner: aTestEvidenceSigner(),
      linkKeys: new LocalLinkMac(randomBytes(32)),
      logger,
      settings: loadSettings(UNLIMITED),
      metrics: noMetrics,
    });
    for (const format of DEMO_BRANDS)
      await vault.tenants.registerBrand(demoBrand(format, issuerSim.url), 'local');
    const { apiKey, tenant } = await vault.tenants.create('faults');
    built.tenantId = tenant.tenantId;
    const app = createApp({
      tenants: vault.tenants,
      limits: vault.limits,
      logger,
      modules: allRoutes(vault),
    });
    const parse = async (response: Response): Promise<HttpResult> => {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: response.status, headers: response.headers, body, text };
    };
    const request: TestStack['request'] = async (method, path, options = {}) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${apiKey}`,
        ...(options.headers ?? {}),
      };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return parse(
        await app.request(path, {
          method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        }),
      );
    };
    const simUrl = issuerSim.url;
    built.stack = {
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
          await fetch(`${simUrl}${path}`, {
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

  return built;
}

/** A faulted answer is the success itself (the fault landed after the answer was decided) or a 503 problem. */
export function expectSuccessOr503(res: HttpResult, success: number): void {
  if (res.status === success) return;
  expectProblem(res, 503, 'dependency-unavailable');
}

/** Through the API: the last event that moved the order names its state (re-deliveries carry no `to`). */
export async function expectOrderExplainedByTrail(stack: TestStack, orderId: string): Promise<void> {
  const order = (await stack.get(`/v1/orders/${orderId}`)).body;
  const events = await eventsOf(stack, orderId);
  const moves = events.filter((e) => typeof e.to === 'string');
  expect(moves.at(-1)?.to, JSON.stringify(events)).toBe(order.state);
}

/** The same, on the table as it is (no due transition applied): returns the stored order. */
export async function expectStoredOrderExplained(f: FaultStack, orderId: string): Promise<Order> {
  const order = await f.raw.orders.getOrder(f.tenantId, orderId);
  expect(order, orderId).toBeDefined();
  const events = await f.raw.orders.listEvents(f.tenantId, orderId);
  const moves = events.filter((e) => typeof e.to === 'string');
  expect(moves.at(-1)?.to, JSON.stringify(events)).toBe(order?.state);
  return order as Order;
}

/**
 * The ledger invariant for one seller whose every order the test knows (no table scan, so it
 * stays cheap when checked after each of many runs): orders read as stored, the balance and
 * fines from the standing service.
 */
export async function expectSellerLedgerBalanced(
  f: FaultStack,
  sellerId: string,
  orderIds: readonly string[],
): Promise<void> {
  const orders = await Promise.all(orderIds.map((id) => f.raw.orders.getOrder(f.tenantId, id)));
  const standing = await f.stack.vault.standing.seller(f.tenantId, sellerId);
  const breaches = ledgerBreaches({
    sellers: [
      {
        tenantId: f.tenantId,
        sellerId,
        balance: standing.balance,
        fines: standing.penalties.map((p) => p.fine),
      },
    ],
    orders: orders.map((o) => {
      expect(o?.sellerId).toBe(sellerId);
      const order = o as Order;
      return {
        tenantId: f.tenantId,
        sellerId,
        amount: order.amount,
        paid: order.paidAt !== undefined,
        refunded: order.refunded,
      };
    }),
  });
  expect(breaches, 'held + available + refunds + penalties == paid in').toEqual([]);
}

/**
 * Lanes for the exhaustive sweeps: each a FaultStack of its own (table, issuer simulator, clock,
 * plan), so the k-th-call cases of one flow run side by side without seeing each other's calls,
 * sweeps, or clock moves. A few lanes per file: DynamoDB Local, shared by the whole run, takes
 * some 600 conditional writes a second on this machine, shared with the run's other files.
 */
export const FAULT_LANES = 2;

export function useFaultLanes(count = FAULT_LANES): readonly FaultStack[] {
  return Array.from({ length: count }, () => useFaultStack());
}

/**
 * Runs `one(lane, k)` for k = 1, 2, … spread over the lanes, each lane taking the next k when
 * its last run is done, until a run makes fewer than k port calls (it returns what it made).
 * Every k below that one runs (as in a sequential sweep); a lane may have started a k above it,
 * which is a fault-free run checked like any other. Returns the calls of the flow (that k - 1).
 * The first failure stops the lanes from taking more k's and is rethrown, its k named.
 */
async function overEveryK(
  lanes: readonly FaultStack[],
  mode: FaultMode,
  one: (f: FaultStack, k: number) => Promise<number>,
): Promise<number> {
  let next = 1;
  let end = Number.POSITIVE_INFINITY;
  const failures: unknown[] = [];
  await Promise.all(
    lanes.map(async (f) => {
      while (next < end) {
        const k = next++;
        try {
          if ((await one(f, k)) < k) end = Math.min(end, k);
        } catch (error) {
          end = 0;
          if (error instanceof Error) error.message = `k=${k} ${mode}: ${error.message}`;
          failures.push(error);
        }
      }
    }),
  );
  if (failures.length > 0) throw failures[0];
  return end - 1;
}

/**
 * Runs `flow` once per k with the k-th port call failing in `mode`, until a run makes fewer than
 * k calls, the k's spread over the lanes. `prepare` builds the flow's precondition with faults
 * off; `attempt` sends the request (the same one on retry); `check` asserts the invariants after
 * the fault-free retry. Each is given the lane it runs on. `retryAnswers` are the statuses a
 * retry may give besides `success` (a report already recorded).
 */
export async function everyK<P>(
  lanes: readonly FaultStack[],
  mode: FaultMode,
  prepare: (f: FaultStack) => Promise<P>,
  attempt: (p: P, f: FaultStack) => Promise<HttpResult>,
  success: number,
  check: (p: P, faulted: HttpResult, retried: HttpResult, f: FaultStack) => Promise<void>,
  retryAnswers: readonly number[] = [],
): Promise<number> {
  return overEveryK(lanes, mode, async (f, k) => {
    f.plan.off();
    const p = await prepare(f);
    f.plan.arm(k, mode);
    const faulted = await attempt(p, f);
    const made = f.plan.made;
    f.plan.off();
    expectSuccessOr503(faulted, success);
    const retried = await attempt(p, f);
    expect([success, ...retryAnswers], `k=${k} ${mode}: ${retried.text}`).toContain(retried.status);
    await check(p, faulted, retried, f);
    return made;
  });
}

/** One sweep; a sweep the fault stops before its steps throws the dependency's error, nothing else. */
export async function sweepOnce(f: FaultStack): Promise<SweepResult | undefined> {
  try {
    return await f.stack.vault.sweeper.sweep();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(DependencyUnavailableError);
    return undefined;
  }
}

/** Sweeps with faults off until a run finds nothing due, so the next flow's sweep sees only its own work. */
export async function drainSweeps(f: FaultStack): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const result = await f.stack.vault.sweeper.sweep();
    expect(result.failed).toBe(0);
    if (result.examined === 0) return;
  }
  throw new Error('the sweeper kept finding due work');
}

/**
 * A sweeper-driven flow: the "retry" is the next sweep. Per k, on its lane: `prepare` (faults
 * off) makes its work due, a sweep runs with the k-th port call failing, `half` checks the
 * faulted sweep left nothing half-done, a fault-free sweep runs, and `done` checks it finished
 * the work. A lane's sweeps see only its own table, so the k's run side by side.
 */
export async function everyKSweep<P>(
  lanes: readonly FaultStack[],
  mode: FaultMode,
  prepare: (f: FaultStack) => Promise<P>,
  half: (p: P, f: FaultStack) => Promise<void>,
  done: (p: P, f: FaultStack) => Promise<void>,
): Promise<number> {
  return overEveryK(lanes, mode, async (f, k) => {
    f.plan.off();
    const p = await prepare(f);
    f.plan.arm(k, mode);
    await sweepOnce(f);
    const made = f.plan.made;
    f.plan.off();
    await half(p, f);
    const next = await f.stack.vault.sweeper.sweep();
    expect(next.failed, `k=${k} ${mode}: the next sweep failed`).toBe(0);
    await done(p, f);
    return made;
  });
}
