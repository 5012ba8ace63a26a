import type { CoreDeps } from './vault-deps.js';

export interface SweepResult {
  readonly examined: number;
  readonly failed: number;
}

const PAGE = 100;
const MAX_PAGES = 20;

/**
 * Runs due work page by page from an index query: each item's task settled on its own, failures
 * logged and counted (the caller logs the summary). A short page is the last; a page that only failed stops the run (failed
 * items stay due for the next one), so nothing spins within a run.
 */
export async function runDuePages(
  deps: Pick<CoreDeps, 'clock' | 'logger'>,
  name: string,
  page: (now: string, limit: number) => Promise<Array<() => Promise<unknown>>>,
): Promise<SweepResult> {
  let examined = 0;
  let failed = 0;
  for (let i = 0; i < MAX_PAGES; i++) {
    const tasks = await page(deps.clock.now().toISOString(), PAGE);
    if (tasks.length === 0) break;
    const results = await Promise.allSettled(tasks.map((task) => task()));
    examined += tasks.length;
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    failed += failures.length;
    // Name and code only: the recheck's tasks open codes, so no error message is trusted in a log.
    for (const f of failures) deps.logger.error(errorSummary(f.reason), `${name} of an item failed`);
    if (failures.length === tasks.length || tasks.length < PAGE) break;
  }
  return { examined, failed };
}

function errorSummary(error: unknown): { err: string; code?: string } {
  if (!(error instanceof Error)) return { err: typeof error };
  const code = (error as { code?: unknown }).code;
  return { err: error.name, ...(typeof code === 'string' ? { code } : {}) };
}
