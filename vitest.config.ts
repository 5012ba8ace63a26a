import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.js';

/** Files that set process.env for what they import: kept apart from every other file. */
const OWN_ENV = ['test/integration/webhook-lambda-handlers.test.ts'];

export default defineConfig({
  test: {
    // Two projects of one run. The files that start stacks and tables (e2e, integration,
    // browser) share their worker's module graph (isolate: false): each imports the vault, the
    // AWS SDK and Hono once per worker instead of once per file, which was a third of the suite's
    // time (issue 18). They keep no module-level state between files: every one makes its own
    // stack, table, tenant and ids. Unit and infra tests stay isolated (SDK client mocks, CDK
    // apps), as does the one file that sets process.env for the handlers it imports.
    projects: [
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts', ...OWN_ENV],
        },
      },
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/e2e/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          exclude: OWN_ENV,
          isolate: false,
        },
      },
    ],
    // Starts one DynamoDB Local (in memory) per run and provides its endpoint: inject('dynamoEndpoint').
    globalSetup: ['test/support/global-setup.ts'],
    // What the code under test writes to stdout/stderr (EMF and log lines) goes to
    // .test-output/<file>.log when a test fails, and nowhere otherwise.
    setupFiles: ['test/support/quiet-output.ts'],
    pool: 'forks',
    // One file at a time on this 2-core machine: the files share one DynamoDB Local (a JVM that
    // manages ~600 conditional writes/s here), Chromium and their stacks' servers, and the fault
    // sweeps already run two lanes of their own. Two workers in a fresh-clone CI run overloaded
    // DynamoDB Local (8 failures: 503 dependency-unavailable and 20 s timeouts, vitest 768 s);
    // three, on a machine shared with other suites, 65. VITEST_MAX_WORKERS or --maxWorkers
    // tries another on a bigger machine.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 1),
    // The slow files first (fresh clone: the known ones; later runs: vitest's cached durations).
    sequence: { sequencer: SlowFirstSequencer },
    // The default reporter, then the ten slowest files (.ci/run names both as well).
    reporters: ['default', './test/support/slowest-files-reporter.ts'],
    // This machine runs Node 20; the SDK's notice that it will need Node 22 is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 20_000,
    // Creating tables and starting extra JVMs happen in hooks.
    hookTimeout: 60_000,
  },
});
