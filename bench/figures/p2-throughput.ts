import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { BenchConfig } from '../../shared/config/tool-config.js';
import type { BenchStack } from '../support/bench-stack.js';
import { type CostShare, profileWhile } from '../support/cpu-profile.js';
import { SALE_STEPS } from '../support/sale.js';
import { salesInOwnProcess } from '../support/sale-clients.js';
import { runPool } from '../support/stats.js';
import { type PerUnit, perUnit } from '../support/tally.js';
import { type Figure, figure, round } from './figure.js';
import { weightedCeiling } from './storage-ceiling.js';

export interface SaleRun {
  readonly sales: number;
  /** Sales whose deposit was not accepted (issuer check missed its deadline), so stopped early. */
  readonly stopped: number;
  readonly salesPerSecond: number;
  readonly perSale: PerUnit;
  readonly apiRequestsPerSale: number;
  /** HTTP requests the vault's process sent per sale (the issuer's checks). */
  readonly outboundRequestsPerSale: number;
  /** Node CPU per sale: the vault's process (API, issuer simulator, SDK) plus the clients' process. */
  readonly cpuMsPerSale: number;
  /** The vault's process alone. */
  readonly vaultCpuMsPerSale: number;
  /** Where the vault's process spent its CPU during the sales, busiest first. */
  readonly costs: readonly CostShare[];
}

/**
 * `sales` full sales by `concurrency` clients in a process of their own, codes minted
 * beforehand; counted by the tally, the vault's process profiled while they run.
 */
export async function runSales(
  b: BenchStack,
  cfg: Pick<BenchConfig, 'sales' | 'concurrency'>,
): Promise<SaleRun> {
  const codes: string[] = [];
  await runPool(cfg.sales, cfg.concurrency, async (i) => {
    codes[i] = await b.mint();
  });
  let outbound = 0;
  const seeRequest = () => {
    outbound += 1;
  };
  let cpu = process.cpuUsage();
  const order = { apiUrl: b.stack.apiUrl, apiKey: b.stack.devApiKey, codes, concurrency: cfg.concurrency };
  const { result: clients, costs } = await profileWhile(async () => {
    const done = await salesInOwnProcess(order, () => {
      b.tally.take();
      subscribe('undici:request:create', seeRequest);
      cpu = process.cpuUsage();
    });
    const used = process.cpuUsage(cpu);
    unsubscribe('undici:request:create', seeRequest);
    return { ...done, vaultCpuMs: (used.user + used.system) / 1000 };
  });
  const completed = clients.completed;
  if (completed === 0) throw new Error('no sale completed: every deposit missed its issuer check');
  // Stopped sales made fewer calls: counting per completed sale leans high, never low, on cost.
  return {
    sales: completed,
    stopped: cfg.sales - completed,
    salesPerSecond: completed / (clients.wallMs / 1000),
    perSale: perUnit(b.tally.take(), completed),
    apiRequestsPerSale: clients.apiRequests / completed,
    outboundRequestsPerSale: outbound / completed,
    cpuMsPerSale: (clients.vaultCpuMs + clients.cpuMs) / completed,
    vaultCpuMsPerSale: clients.vaultCpuMs / completed,
    costs,
  };
}

/** P2: full sales per second against the storage ceiling weighted by the same sale's calls. */
export function p2Throughput(
  run: SaleRun,
  rates: Record<string, number>,
  cfg: Pick<BenchConfig, 'concurrency'>,
): Figure {
  const ceiling = weightedCeiling(run.perSale.calls, rates);
  const details: Record<string, number | string> = {
    'sales completed': run.sales,
    'sales stopped at deposit (card pending)': run.stopped,
    concurrency: cfg.concurrency,
    'GetItem per sale (goal <= 10)': round(run.perSale.calls.GetItem ?? 0),
    'clients in a process of their own': 'yes',
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
