import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one DynamoDB Local (in memory) per run and provides its endpoint: inject('dynamoEndpoint').
    globalSetup: ['test/support/global-setup.ts'],
    // What the code under test writes to stdout/stderr (EMF and log lines) goes to
    // .test-output/<file>.log when a test fails, and nowhere otherwise.
    setupFiles: ['test/support/quiet-output.ts'],
    pool: 'forks',
    // Vitest's default on 2 cores is one worker, which leaves a core idle while tests wait on
    // DynamoDB Local, the issuer simulator and Chromium. Three files at a time, on this machine
    // shared with other suites (load 10-18), overloaded the one DynamoDB Local: 65 timeouts and
    // 503s against 11 with one worker. Two is the setting; VITEST_MAX_WORKERS or --maxWorkers
    // tries another.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 2),
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
