import { join } from 'node:path';
import { baselineEntry, measure, OUT } from '../../infra/bundle-report.js';
import { bundleDefines, PROJECT_ROOT } from '../../infra/bundling.js';
import { FUNCTION_SPECS } from '../../infra/function-specs.js';
import type { BenchConfig } from '../../shared/config/tool-config.js';
import { type Figure, figure, round } from './figure.js';

/** P4: the reveal Lambda bundle's module init against a bundle importing only its SDK clients. */
export async function p4Init(cfg: Pick<BenchConfig, 'bundleRuns'>): Promise<Figure> {
  const spec = FUNCTION_SPECS.reveal;
  const fn = await measure(
    join(PROJECT_ROOT, spec.entry),
    join(OUT, 'bench-reveal'),
    cfg.bundleRuns,
    bundleDefines(spec),
  );
  const base = await measure(baselineEntry('reveal'), join(OUT, 'bench-baseline-reveal'), cfg.bundleRuns);
  if (fn.initMs === undefined || base.initMs === undefined) {
    throw new Error(`P4: a bundle failed to initialise: ${fn.initError ?? base.initError}`);
  }
  return figure({
    id: 'P4',
    title: 'reveal Lambda module init',
    value: fn.initMs,
    bound: base.initMs,
    unit: 'ms',
    boundKind: 'baseline',
    boundLabel: `a bundle importing only ${spec.sdkClients.join(' + ')} SDK clients`,
    goal: { op: '<=', ratio: 1.3 },
    details: {
      'fresh processes (median)': cfg.bundleRuns,
      'bundle KB': round(fn.bytes / 1024),
      'baseline bundle KB': round(base.bytes / 1024),
    },
  });
}
