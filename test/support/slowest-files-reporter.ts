import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the run's ten slowest test files after the default reporter's summary (issue 18):
 * wall time per file from the worker's view (collect + setup + tests and hooks), so the next
 * file to make faster is named at the end of every `npm test`.
 */
export default class SlowestFilesReporter implements Reporter {
  private root = process.cwd();

  onInit(ctx: { config: { root: string } }): void {
    this.root = ctx.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = testModules
      .map((m) => {
        const d = m.diagnostic();
        return {
          file: relative(this.root, m.moduleId),
          ms: d.collectDuration + d.setupDuration + d.duration,
        };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (rows.length === 0) return;
    const lines = rows.map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(7)} s  ${r.file}`);
    process.stdout.write(`\n Slowest test files (collect + setup + tests):\n${lines.join('\n')}\n\n`);
  }
}
