import type { BenchConfig } from '../shared/config/tool-config.js';
import type { Figure } from './figures/figure.js';
import { p1Cost } from './figures/p1-cost.js';
import { p2Throughput, runSales } from './figures/p2-throughput.js';
import { p3Reveal } from './figures/p3-reveal.js';
import { p4Init } from './figures/p4-init.js';
import { p5Bulk } from './figures/p5-bulk.js';
import type { BenchStack } from './support/bench-stack.js';
import type { PerUnit } from './support/tally.js';

export interface BenchResults {
  readonly figures: readonly Figure[];
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
  say('P2: storage ceiling ...');
  const p2 = await p2Throughput(b, run, cfg);
  say(`P3: ${cfg.reveals} reveals at ${cfg.concurrency} concurrent ...`);
  const p3 = await p3Reveal(b, cfg);
  say(`P5: ${cfg.cards} codes ...`);
  const p5 = await p5Bulk(b, cfg);
  say('P4: reveal bundle init ...');
  const p4 = await p4Init(cfg);
  return {
    figures: [p1, p2, p3, p4, ...p5],
    perSale: { ...run.perSale, apiRequests: run.apiRequestsPerSale },
  };
}
