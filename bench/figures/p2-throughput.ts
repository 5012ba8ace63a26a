import type { BenchConfig } from '../../shared/config/tool-config.js';
import type { BenchStack } from '../support/bench-stack.js';
import { fullSale, SALE_STEPS } from '../support/sale.js';
import { runPool } from '../support/stats.js';
import { type PerUnit, perUnit } from '../support/tally.js';
import { type Figure, figure, round } from './figure.js';
import { measureCommandRates, weightedCeiling } from './storage-ceiling.js';

export interface SaleRun {
  readonly sales: number;
  /** Sales whose deposit was not accepted (issuer check missed its deadline), so stopped early. */
  readonly stopped: number;
  readonly salesPerSecond: number;
  readonly perSale: PerUnit;
  readonly apiRequestsPerSale: number;
  readonly cpuMsPerSale: number;
}

/** `sales` full sales by `concurrency` clients, codes minted beforehand; counted by the tally. */
export async function runSales(
  b: BenchStack,
  cfg: Pick<BenchConfig, 'sales' | 'concurrency'>,
): Promise<SaleRun> {
  const codes: string[] = [];
  await runPool(cfg.sales, cfg.concurrency, async (i) => {
    codes[i] = await b.mint();
  });
  b.tally.take();
  const requestsBefore = b.apiRequests();
  const cpu = process.cpuUsage();
  let completed = 0;
  const { wallMs } = await runPool(cfg.sales, cfg.concurrency, async (i) => {
    if (await fullSale(b, codes[i] ?? '')) completed += 1;
  });
  const used = process.cpuUsage(cpu);
  if (completed === 0) throw new Error('no sale completed: every deposit missed its issuer check');
  // Stopped sales made fewer calls: counting per completed sale leans high, never low, on cost.
  return {
    sales: completed,
    stopped: cfg.sales - completed,
    salesPerSecond: completed / (wallMs / 1000),
    perSale: perUnit(b.tally.take(), completed),
    apiRequestsPerSale: (b.apiRequests() - requestsBefore) / completed,
    cpuMsPerSale: (used.user + used.system) / 1000 / completed,
  };
}

/** P2: full sales per second against the storage ceiling weighted by the same sale's calls. */
export async function p2Throughput(
  b: BenchStack,
  run: SaleRun,
  cfg: Pick<BenchConfig, 'concurrency' | 'probeOps'>,
): Promise<Figure> {
  const rates = await measureCommandRates(b, Object.keys(run.perSale.calls), {
    concurrency: cfg.concurrency,
    ops: cfg.probeOps,
    transactItems: run.perSale.itemsPerTransaction,
  });
  const ceiling = weightedCeiling(run.perSale.calls, rates);
  const details: Record<string, number | string> = {
    'sales completed': run.sales,
    'sales stopped at deposit (card pending)': run.stopped,
    concurrency: cfg.concurrency,
    'GetItem per sale (goal <= 10)': round(run.perSale.calls.GetItem ?? 0),
    'Node CPU ms per sale (API, issuer and clients in one process)': round(run.cpuMsPerSale),
    'items per transaction': round(run.perSale.itemsPerTransaction),
  };
  for (const [command, calls] of Object.entries(run.perSale.calls)) {
    details[`${command} per sale`] = round(calls);
    details[`${command} bare per s`] = round(rates[command] ?? 0);
  }
  return figure({
    id: 'P2',
    title: `full sales per second (${SALE_STEPS.join(', ')})`,
    value: run.salesPerSecond,
    bound: ceiling,
    unit: 'sales/s',
    boundKind: 'ceiling',
    boundLabel: 'storage ceiling: bare calls of the same mix on the same DynamoDB Local',
    goal: { op: '>=', ratio: 0.7 },
    details,
  });
}
