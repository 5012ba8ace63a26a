import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import type { BenchConfig } from '../../shared/config/tool-config.js';
import { createApp } from '../../shared/http/app.js';
import type { RateLimits } from '../../shared/http/rate-limit.js';
import { allRoutes } from '../../shared/http/routes/all-routes.js';
import type { BenchStack } from '../support/bench-stack.js';
import { createListing } from '../support/sale.js';
import { percentile, runPool } from '../support/stats.js';
import { type Figure, figure, round } from './figure.js';

/** The app with the limiter switched off: no bucket is drawn on, nothing else changes. */
const NO_LIMITS: RateLimits = { admitTenant: async () => [], admitLink: async () => [] };

/** Requests per measured run: small, so the figures add seconds to the bench, not minutes. */
const requestsOf = (cfg: Pick<BenchConfig, 'reveals'>) => Math.max(60, cfg.reveals * 4);

/**
 * L1: what the limiter costs a request. The same GET through two in-process apps over the same
 * vault, one with the limiter (a conditional UpdateItem on the tenant's bucket) and one without,
 * in alternating rounds so the machine's drift falls on both: p50 latency and CPU per request.
 */
export async function limiterCost(
  b: BenchStack,
  cfg: Pick<BenchConfig, 'reveals' | 'concurrency'>,
): Promise<Figure> {
  const { vault } = b.stack;
  const logger = createLogger({ level: 'silent' });
  const app = (limits: RateLimits) =>
    createApp({ tenants: vault.tenants, limits, logger, modules: allRoutes(vault) });
  const [limited, bare] = [app(vault.limits), app(NO_LIMITS)];
  const listingId = await createListing(b);
  const headers = { authorization: `Bearer ${b.stack.devApiKey}` };
  const get = async (target: typeof bare) => {
    const res = await target.request(`/v1/listings/${listingId}`, { headers });
    if (res.status !== 200) throw new Error(`L1: GET listing answered ${res.status}`);
    await res.arrayBuffer();
  };
  const total = requestsOf(cfg);
  const rounds = 4;
  const samples = { limited: [] as number[], bare: [] as number[] };
  const cpuMs = { limited: 0, bare: 0 };
  for (const which of ['bare', 'limited'] as const)
    await runPool(8, 2, () => get(which === 'bare' ? bare : limited));
  for (let r = 0; r < rounds; r++) {
    for (const which of r % 2 === 0 ? (['bare', 'limited'] as const) : (['limited', 'bare'] as const)) {
      const cpu = process.cpuUsage();
      const run = await runPool(total / rounds, cfg.concurrency, () =>
        get(which === 'bare' ? bare : limited),
      );
      const used = process.cpuUsage(cpu);
      cpuMs[which] += (used.user + used.system) / 1000;
      samples[which].push(...run.durations);
    }
  }
  const [withP50, withoutP50] = [percentile(samples.limited, 50), percentile(samples.bare, 50)];
  const perRequest = (ms: number) => round(ms / samples.bare.length);
  return figure({
    id: 'L1',
    title: `a limited request's p50 at ${cfg.concurrency} concurrent (issue 19)`,
    value: withP50,
    bound: withoutP50,
    unit: 'ms',
    boundKind: 'baseline',
    boundLabel: 'the same request with the limiter off',
    goal: { op: '<=', ratio: 1.5 },
    details: {
      requests: samples.limited.length,
      'limiter ms per request (p50 difference)': round(withP50 - withoutP50),
      'p99 ms with / without': `${round(percentile(samples.limited, 99))} / ${round(percentile(samples.bare, 99))}`,
      'CPU ms per request with': perRequest(cpuMs.limited),
      'CPU ms per request without': perRequest(cpuMs.bare),
      'CPU ratio': round(cpuMs.limited / cpuMs.bare),
      'DynamoDB calls added per request': '1 UpdateItem (+1 GetItem per tenant per API_KEY_CACHE_SECONDS)',
    },
  });
}

/**
 * L2: one tenant at its limit does not slow another. Tenant B's requests alone, then the same
 * while tenant A sends flat out over its own limit (most of A's answers are 429): B's p50 and
 * throughput with A against B's alone, in the same run. B is never refused.
 */
export async function fairShare(
  b: BenchStack,
  cfg: Pick<BenchConfig, 'reveals' | 'concurrency'>,
): Promise<Figure> {
  const { vault, apiUrl } = b.stack;
  const [a, bee] = await Promise.all([vault.tenants.create('bench-a'), vault.tenants.create('bench-b')]);
  const limitA = { ratePerSecond: 20, burst: 20 };
  await vault.tenants.setRateLimit(a.tenant.tenantId, limitA);
  const send = async (apiKey: string) => {
    const res = await fetch(`${apiUrl}/v1/listings/lst_${'0'.repeat(26)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    await res.arrayBuffer();
    return res.status;
  };
  const total = requestsOf(cfg);
  const clients = Math.max(2, Math.floor(cfg.concurrency / 2));
  const measureB = async () => {
    let refused = 0;
    const run = await runPool(total, clients, async () => {
      if ((await send(bee.apiKey)) === 429) refused += 1;
    });
    return { ...run, refused };
  };
  await runPool(8, 2, () => send(bee.apiKey));
  const alone = await measureB();
  let hammering = true;
  const fromA = { sent: 0, admitted: 0 };
  const startedA = performance.now();
  const hammer = Promise.all(
    Array.from({ length: clients }, async () => {
      while (hammering) {
        fromA.sent += 1;
        if ((await send(a.apiKey)) !== 429) fromA.admitted += 1;
      }
    }),
  );
  const withA = await measureB();
  hammering = false;
  await hammer;
  const elapsedA = (performance.now() - startedA) / 1000;
  const [p50With, p50Alone] = [percentile(withA.durations, 50), percentile(alone.durations, 50)];
  const throughput = (run: { durations: number[]; wallMs: number }) =>
    run.durations.length / (run.wallMs / 1000);
  return figure({
    id: 'L2',
    title: "tenant B's p50 while tenant A hammers at its limit (issue 19)",
    value: p50With,
    bound: p50Alone,
    unit: 'ms',
    boundKind: 'baseline',
    boundLabel: "B's p50 alone",
    goal: { op: '<=', ratio: 2 },
    details: {
      'B requests': total,
      'B refused (alone / with A)': `${alone.refused} / ${withA.refused}`,
      'B throughput alone req/s': round(throughput(alone)),
      'B throughput with A req/s': round(throughput(withA)),
      'B throughput ratio': round(throughput(withA) / throughput(alone)),
      'A sent': fromA.sent,
      'A admitted': fromA.admitted,
      'A allowed (burst + rate x s)': round(limitA.burst + limitA.ratePerSecond * elapsedA),
    },
  });
}
