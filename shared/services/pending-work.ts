import type { SweepResult } from './sweep-pages.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * Resumes a page of a seller's pending work found on the due index (a suspension cascade, a
 * review's work): each item on its own, a failure logged by ids only and left pending for the
 * next sweep.
 */
export async function resumePending<T extends { tenantId: string; sellerId: string }>(
  deps: Pick<CoreDeps, 'logger'>,
  what: string,
  pending: readonly T[],
  task: (item: T) => Promise<unknown>,
): Promise<SweepResult> {
  const results = await Promise.allSettled(pending.map(task));
  let failed = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    failed++;
    const { tenantId, sellerId } = pending[i] as T;
    deps.logger.error(
      { tenantId, sellerId, err: String(r.reason) },
      `${what} failed; the next sweep resumes it`,
    );
  });
  return { examined: pending.length, failed };
}
