import { readdirSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';
import { launchChromiumServer } from './browser.js';
import { DYNAMODB_LOCAL_READY_MS } from './dynamo.js';

/**
 * One DynamoDB Local for the whole run: a JVM start costs seconds, while a table per test file
 * (test/support/dynamo.ts) is milliseconds and keeps files independent. Likewise one Chromium
 * (browser.ts), started beside it when the run includes a browser test file: each such file
 * connects to it instead of launching its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const starting = [
    startDynamoDbLocal({ port: 0, inMemory: true, readyTimeoutMs: DYNAMODB_LOCAL_READY_MS }),
    runsBrowserTests(project) ? launchChromiumServer() : Promise.resolve(undefined),
  ] as const;
  const [dynamoStart, browserStart] = await Promise.allSettled(starting);
  if (dynamoStart.status === 'rejected' || browserStart.status === 'rejected') {
    // Whichever started is stopped, or it would keep the run from exiting.
    if (dynamoStart.status === 'fulfilled') await dynamoStart.value.stop();
    if (browserStart.status === 'fulfilled') await browserStart.value?.close();
    throw dynamoStart.status === 'rejected'
      ? dynamoStart.reason
      : (browserStart as PromiseRejectedResult).reason;
  }
  const dynamo = dynamoStart.value;
  const browser = browserStart.value;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('chromiumEndpoint', browser?.wsEndpoint() ?? '');
  return async () => {
    await Promise.all([dynamo.stop(), browser?.close()]);
  };
}

/**
 * No file filter, or one that names a browser test file (a file filter is a part of its path).
 * Vitest keeps the CLI's filters in a field it does not type; without it, Chromium is launched.
 */
function runsBrowserTests(project: TestProject): boolean {
  const filters =
    (project.vitest as unknown as { filenamePattern?: readonly string[] }).filenamePattern ?? [];
  if (filters.length === 0) return true;
  const files = readdirSync('test/browser').map((name) => `test/browser/${name}`);
  return files.some((file) => filters.some((filter) => file.includes(filter.replace(/^\.\//, ''))));
}
