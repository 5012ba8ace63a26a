import type { BenchConfig } from '../../shared/config/tool-config.js';
import { type BenchResults, inPrintOrder } from '../collect-figures.js';
import { round } from '../figures/figure.js';

export interface RunContext {
  readonly config: BenchConfig;
  readonly at: string;
  readonly node: string;
  readonly cpus: number;
  readonly loadAverage: readonly number[];
}

const fmt = (x: number) => String(round(x));

/** The Markdown table docs/performance.md quotes: one row per figure, its bound, ratio and goal. */
export function renderMarkdown(results: BenchResults, ctx: RunContext): string {
  const c = ctx.config;
  const rows = inPrintOrder(results).map(
    (f) =>
      `| ${f.id} ${f.title} | ${fmt(f.value)} ${f.unit} | ${fmt(f.bound)} (${f.boundLabel}) | ${fmt(f.ratio)} | ${f.goal.op} ${f.goal.ratio} | ${f.met ? 'met' : 'not met'} |`,
  );
  const calls = Object.entries(results.perSale.calls)
    .map(([command, n]) => `${command} ${fmt(n)}`)
    .join(', ');
  const cipher = Object.entries(results.perSale.cipher)
    .map(([kind, n]) => `${kind} ${fmt(n)}`)
    .join(', ');
  return [
    `Bench run ${ctx.at}: scale ${c.scale}, ${c.sales} sales at ${c.concurrency} concurrent, ${c.cards} codes on the big listing; node ${ctx.node}, ${ctx.cpus} CPUs, load average ${ctx.loadAverage.map(fmt).join(' ')}.`,
    '',
    '| figure | vault | bound measured in the same run | ratio | goal | |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Per sale: DynamoDB calls ${calls}; ${fmt(results.perSale.writeUnits)} WRU, ${fmt(results.perSale.readUnits)} RRU; cipher calls ${cipher}; ${fmt(results.perSale.apiRequests)} API requests.`,
    '',
  ].join('\n');
}

/** The console report: the table, then each figure's details. */
export function renderConsole(results: BenchResults, ctx: RunContext): string {
  const details = inPrintOrder(results).map(
    (f) =>
      `${f.id} ${f.title}\n${Object.entries(f.details)
        .map(([k, v]) => `    ${k}: ${v}`)
        .join('\n')}`,
  );
  return `${renderMarkdown(results, ctx)}\n${details.join('\n')}\n`;
}

/** The JSON file: the figures with their details, the per-sale counts and the run's context. */
export function renderJson(results: BenchResults, ctx: RunContext): string {
  return `${JSON.stringify({ ...ctx, figures: inPrintOrder(results), perSale: results.perSale }, null, 2)}\n`;
}
