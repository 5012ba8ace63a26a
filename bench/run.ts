import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadBenchConfig } from '../shared/config/tool-config.js';
import { collectFigures } from './collect-figures.js';
import { renderConsole, renderJson, renderMarkdown } from './report/render.js';
import { startBenchStack } from './support/bench-stack.js';

/**
 * `npm run bench [-- --quick|--full] [--sales N] [--concurrency N] [--cards N]`: the figures
 * P1-P5 of issue 8, each beside the floor or ceiling measured in the same run, printed and
 * written to bench/results/latest.{json,md}. Figures, not assertions: the machine's load moves them.
 */
const config = loadBenchConfig(process.env, process.argv.slice(2));
const say = (line: string) => process.stderr.write(`${line}\n`);
const bench = await startBenchStack();
try {
  const results = await collectFigures(bench, config, say);
  const ctx = {
    config,
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg(),
  };
  const dir = join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'latest.json'), renderJson(results, ctx));
  await writeFile(join(dir, 'latest.md'), renderMarkdown(results, ctx));
  process.stdout.write(renderConsole(results, ctx));
  say(`written: ${join('bench', 'results', 'latest.{json,md}')}`);
} finally {
  await bench.stop();
}
