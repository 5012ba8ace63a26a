import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../shared/local/dynamodb-local.js';

/**
 * One DynamoDB Local for the whole run: a JVM start costs seconds, while a table per test file
 * (test/support/dynamo.ts) is milliseconds and keeps files independent.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal({ port: 0, inMemory: true });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
