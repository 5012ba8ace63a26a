import type { BenchConfig } from '../shared/config/tool-config.js';
import type { Figure } from './figures/figure.js';
import { p1Cost } from './figures/p1-cost.js';
import { p2Cpu } from './figures/p2-cpu.js';
import { p2Throughput, runSales } from './figures/p2-throughput.js';
import { p3Reveal } from './figures/p3-reveal.js';
import { p4Init } from './figures/p4-init.js';
import { p5Bulk } from './figures/p5-bulk.js';
import { fairShare, limiterCost } from './figures/rate-limit.js';
import { measureCommandRates } from './figures/storage-ceiling.js';
import type { BenchStack } from './support/bench-stack.js';
import type { PerUnit } from './support/tally.js';

export interface BenchResults {
  /** Issue 8's figures, P1 to P5, and issue 19's L1 (the limiter's cost) and L2 (one tenant at its limit, another beside it). */
  readonly figures: readonly Figure[];
  /** Issue 18's, each printed after the figure it sits beside: P2c (CPU per sale) after P2, P4d and P4a after P4. */
  readonly alongside: readonly Figure[];
  /** DynamoDB calls and capacity, cipher calls, per full sale (the P1/P2 run). */
  readonly perSale: PerUnit & { readonly apiRequests: number };
}

/** Every figure, in an order where one phase's leftovers do not land in another's tally. */
export async function collectFigures(
  b: BenchStack,
  cfg: BenchConfig,
  say: (line: string) => void = () => {},
): Promise<BenchResults> {
  const started = performance.now();
  const said = say;
  say = (line) => said(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);
  say(`P1/P2: ${cfg.sales} full sales at ${cfg.concurrency} concurrent ...`);
  const run = await runSales(b, cfg);
  const p1 = p1Cost(run);
  say('P2: storage ceiling and the CPU floor ...');
  const storage = await measureCommandRates(b, Object.keys(run.perSale.calls), {
    concurrency: cfg.concurrency,
    ops: cfg.probeOps,
    transactItems: run.perSale.itemsPerTransaction,
  });
  const p2 = p2Throughput(run, storage.rates, cfg);
  const p2c = await p2Cpu(b, run, storage.cpuMsPerCall, cfg);
  say(`P3: ${cfg.reveals} reveals at ${cfg.concurrency} concurrent ...`);
  const p3 = await p3Reveal(b, cfg);
  say(`P5: ${cfg.cards} codes ...`);
  const p5 = await p5Bulk(b, cfg);
  say('L1/L2: the rate limiter per request, and two tenants ...');
  const l1 = await limiterCost(b, cfg);
  const l2 = await fairShare(b, cfg);
  say('P4: reveal, deposit and api bundle init ...');
  const [p4, ...inits] = await p4Init(cfg);
  if (!p4) throw new Error('P4: no figure');
  return {
    figures: [p1, p2, p3, p4, ...p5, l1, l2],
    alongside: [p2c, ...inits],
    perSale: { ...run.perSale, apiRequests: run.apiRequestsPerSale },
  };
}

/** Every figure in print order: each of `alongside` after the figure its id extends. */
export function inPrintOrder(results: BenchResults): Figure[] {
  return results.figures.flatMap((f) => [
    f,
    ...results.alongside.filter((a) => a.id !== f.id && a.id.startsWith(f.id)),
  ]);
}
