import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { PROJECT_ROOT } from '../../infra/bundling.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self CPU time by where the code lives: an npm package, our folder, a Node internal, or GC. */
export interface CostShare {
  readonly what: string;
  readonly ms: number;
  readonly share: number;
}

/**
 * Samples this process's CPU (V8's profiler, 1 ms interval: a percent or two of overhead) while
 * `work` runs, and returns the self time grouped by {@link costCentre}, busiest first, idle left out.
 */
export async function profileWhile<T>(work: () => Promise<T>): Promise<{ result: T; costs: CostShare[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    const outcome = await work().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    if ('error' in outcome) throw outcome.error;
    const result = outcome.value;
    return { result, costs: groupSelfTime(profile) };
  } finally {
    session.disconnect();
  }
}

function groupSelfTime(profile: Profile): CostShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byCentre = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    const us = profile.timeDeltas[i] ?? 0;
    const centre = costCentre(node.callFrame);
    byCentre.set(centre, (byCentre.get(centre) ?? 0) + us);
    total += us;
  });
  return [...byCentre]
    .sort((a, b) => b[1] - a[1])
    .map(([what, us]) => ({ what, ms: us / 1000, share: total > 0 ? us / total : 0 }));
}

/** `@smithy/core`, `shared/adapters/dynamodb`, `node:internal/streams`, `(garbage collector)`... */
export function costCentre(frame: { readonly functionName: string; readonly url: string }): string {
  const { url } = frame;
  if (url === '')
    return frame.functionName.startsWith('(') ? frame.functionName : `native ${frame.functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const path = url.startsWith('file://') ? relative(PROJECT_ROOT, new URL(url).pathname) : url;
  return path
    .split('/')
    .slice(0, path.startsWith('shared/') ? 3 : 2)
    .join('/');
}
