/** Nearest-rank percentile (p in 0..100) of a sample; 0 for an empty one. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * Runs `task(0..count-1)` with at most `concurrency` in flight, as `concurrency` clients each
 * taking the next index. Returns each task's duration in ms (by index) and the wall time.
 */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<{ durations: number[]; wallMs: number }> {
  const durations = new Array<number>(count).fill(0);
  let next = 0;
  const started = performance.now();
  const client = async () => {
    for (let i = next++; i < count; i = next++) {
      const t = performance.now();
      await task(i);
      durations[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, client));
  return { durations, wallMs: performance.now() - started };
}
