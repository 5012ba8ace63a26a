import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { deleteTable, ensureTable } from '../../shared/adapters/dynamodb/create-table.js';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';

/**
 * How long a test waits for a DynamoDB Local it starts to answer: the JVM's start takes seconds
 * alone, and over half a minute on a 2-core machine running other suites (the default is 30 s).
 */
export const DYNAMODB_LOCAL_READY_MS = 90_000;

export interface TestTable {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * A fresh table on the run's DynamoDB Local for the calling test file: created before its tests,
 * deleted after them. Call at the top level of the file (or of a describe block). No stream
 * unless the file reads it: DynamoDB Local keeps every stream record of the run, and writes to
 * streamed tables slow down as they pile up (create-table.ts, TableOptions).
 */
export function useTestTable(options: { stream?: boolean } = {}): TestTable {
  const { client, doc } = createDynamoClients({ endpoint: inject('dynamoEndpoint') });
  // Unique across the forks running files in parallel against the same instance.
  const tableName = `test-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  beforeAll(() => ensureTable(client, tableName, { stream: options.stream ?? false }));
  afterAll(async () => {
    await deleteTable(client, tableName);
    client.destroy();
  });
  return { client, doc, tableName };
}
