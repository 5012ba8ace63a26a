import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts one DynamoDB Local (in memory) per run and provides its endpoint: inject('dynamoEndpoint').
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // This machine runs Node 20; the SDK's notice that it will need Node 22 is noise in test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 20_000,
    // Creating tables and starting extra JVMs happen in hooks.
    hookTimeout: 60_000,
  },
});
