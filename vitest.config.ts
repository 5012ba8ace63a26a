import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one DynamoDB Local (in memory) per run and provides its endpoint: inject('dynamoEndpoint').
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    // Creating tables and starting extra JVMs happen in hooks.
    hookTimeout: 60_000,
  },
});
