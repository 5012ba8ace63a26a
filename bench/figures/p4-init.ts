import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { baselineEntry, LAMBDA_LIKE_ENV, measure, OUT } from '../../infra/bundle-report.js';
import { bundleDefines, PROJECT_ROOT } from '../../infra/bundling.js';
import { FUNCTION_SPECS, type FunctionName } from '../../infra/function-specs.js';
import type { BenchConfig } from '../../shared/config/tool-config.js';
import { percentile } from '../support/stats.js';
import { type Figure, figure, round } from './figure.js';

/** The HTTP functions whose cold start a request waits for; P4 is the reveal's, as issue 8 named it. */
const MEASURED = [
  { id: 'P4', name: 'reveal' },
  { id: 'P4d', name: 'deposit' },
  { id: 'P4a', name: 'api' },
] as const satisfies ReadonlyArray<{ id: string; name: FunctionName }>;

/**
 * Importing `file` in a fresh Node process, as a cold start does: the Node CPU it took (user +
 * system, all threads) and the wall time, in ms. Init is CPU-bound (one file read from cache),
 * and on a shared machine its CPU time moves far less than its wall time.
 */
function initOnce(file: string): { cpuMs: number; wallMs: number } {
  const script =
    'const t = performance.now(); const c = process.cpuUsage();' +
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});` +
    'const u = process.cpuUsage(c);' +
    "if (typeof m.handler !== 'function') throw new Error('no handler export');" +
    'console.log(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, wallMs: performance.now() - t }));';
  const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`P4: ${file} failed to initialise: ${run.stderr || run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
}

type Run = { cpuMs: number; wallMs: number };
const median = (runs: readonly Run[], key: keyof Run) =>
  percentile(
    runs.map((r) => r[key]),
    50,
  );

/**
 * P4: each HTTP Lambda bundle's module init against a bundle importing only its SDK clients. The
 * bundles are built as the stack builds them, then imported in fresh processes, the function's
 * and its baseline's runs interleaved so a busy machine slows both alike; median CPU times compared.
 */
export async function p4Init(cfg: Pick<BenchConfig, 'bundleRuns'>): Promise<Figure[]> {
  const built = [];
  for (const { id, name } of MEASURED) {
    const spec = FUNCTION_SPECS[name];
    // One run each: it checks that the bundle starts and puts its file in the OS cache.
    const fn = await measure(
      join(PROJECT_ROOT, spec.entry),
      join(OUT, `bench-${name}`),
      1,
      bundleDefines(spec),
    );
    const base = await measure(baselineEntry(name), join(OUT, `bench-baseline-${name}`), 1);
    if (fn.initMs === undefined || base.initMs === undefined) {
      throw new Error(`P4: a bundle failed to initialise: ${fn.initError ?? base.initError}`);
    }
    built.push({ id, name, spec, fn, base, fnRuns: [] as Run[], baseRuns: [] as Run[] });
  }
  const runs = Math.max(1, 3 * cfg.bundleRuns);
  for (let r = 0; r < runs; r++) {
    for (const b of built) {
      b.fnRuns.push(initOnce(join(OUT, `bench-${b.name}`, 'index.mjs')));
      b.baseRuns.push(initOnce(join(OUT, `bench-baseline-${b.name}`, 'index.mjs')));
    }
  }
  return built.map((b) =>
    figure({
      id: b.id,
      title: `${b.name} Lambda module init (CPU)`,
      value: median(b.fnRuns, 'cpuMs'),
      bound: median(b.baseRuns, 'cpuMs'),
      unit: 'ms',
      boundKind: 'baseline',
      boundLabel: `a bundle importing only ${b.spec.sdkClients.join(' + ')} SDK clients`,
      goal: { op: '<=', ratio: 1.3 },
      details: {
        'fresh processes each, interleaved (median)': runs,
        'wall ms (median)': round(median(b.fnRuns, 'wallMs')),
        'baseline wall ms (median)': round(median(b.baseRuns, 'wallMs')),
        'bundle KB': round(b.fn.bytes / 1024),
        'baseline bundle KB': round(b.base.bytes / 1024),
      },
    }),
  );
}
