import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeEach, expect } from 'vitest';

/**
 * A setup file (vitest.config.ts): what the code under test writes to the worker's stdout and
 * stderr (EMF metric lines, JSON log lines) stays out of the test output. It is kept per test
 * file and written to `.test-output/<file>.log` when a test or hook of that file fails; a green
 * file leaves nothing behind. Tests that collect lines themselves (a `write` or `destination`
 * of their own) are unaffected; a spy on `process.stdout.write` wraps this one.
 */
export const TEST_OUTPUT_DIR = '.test-output';

const lines: string[] = [];
let written = 0;
const capture =
  (stream: 'stdout' | 'stderr') =>
  (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    written += 1;
    lines.push(`${stream}: ${typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')}`);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => done());
    return true;
  };
process.stdout.write = capture('stdout') as typeof process.stdout.write;
process.stderr.write = capture('stderr') as typeof process.stderr.write;

const testPath = expect.getState().testPath ?? 'unknown';
const logFile = join(TEST_OUTPUT_DIR, `${relative(process.cwd(), testPath).replace(/[\\/]/g, '__')}.log`);
rmSync(logFile, { force: true });

beforeEach((context) => {
  lines.push(`--- ${context.task.fullName ?? context.task.name}\n`);
});

interface TaskLike {
  result?: { state?: string; errors?: unknown[] };
  tasks?: TaskLike[];
}
const failedIn = (task: TaskLike): boolean =>
  task.result?.state === 'fail' ||
  (task.result?.errors?.length ?? 0) > 0 ||
  (task.tasks ?? []).some(failedIn);

// Vitest reads a hook's first parameter as fixtures (a pattern is required); the file is the second.
// biome-ignore lint/correctness/noEmptyPattern: no fixture is needed here
afterAll(({}, suite) => {
  if (!failedIn(suite as TaskLike) || written === 0) return;
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  writeFileSync(logFile, lines.join(''));
  console.error(`the output of the code under test in this file: ${logFile}`);
});
