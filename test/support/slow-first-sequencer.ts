import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Longest first, so no worker starts a two-minute file when the others are about to finish.
 * Vitest orders by the durations it cached from the last run; a fresh clone has no cache, so
 * the files known to be slow (the issue 18 measurements) go first, in this order, then the rest
 * as vitest would order them.
 */
const KNOWN_SLOW = [
  'test/e2e/crash-consistency.test.ts',
  'test/integration/faults-disputes.test.ts',
  'test/infra/bundling.test.ts',
  'test/integration/faults-sweeper.test.ts',
  'test/browser/accessibility.test.ts',
  'test/integration/bench-figures.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = KNOWN_SLOW.findIndex((path) => spec.moduleId.endsWith(path));
      return i === -1 ? KNOWN_SLOW.length : i;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
