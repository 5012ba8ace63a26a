import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  type DescribeTableCommandOutput,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './table-definition.js';

// Short delays: DynamoDB Local is ACTIVE at once, AWS within seconds; the SDK defaults start at 20 s.
const WAITER = { maxWaitTime: 120, minDelay: 1, maxDelay: 5 };

/** The stream the webhook fan-out reads: every change, with the item before and after it. */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

export interface TableOptions {
  /**
   * Give the table its stream (default true: the deployed table and `npm start` need it for
   * webhooks). Only a local table whose stack delivers no webhooks goes without: DynamoDB Local
   * keeps every stream record in memory for the whole run, even a deleted table's, and each write
   * to a streamed table costs it several times a plain write, more the more records it holds.
   */
  readonly stream?: boolean;
}

/** CreateTable input for the vault's table; every key attribute is a string (see keys.ts). */
export function createTableInput(tableName: string, options: TableOptions = {}): CreateTableCommandInput {
  const { partitionKey, sortKey, globalSecondaryIndexes } = tableDefinition;
  const keyNames = [
    partitionKey,
    sortKey,
    ...globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    ...((options.stream ?? true) ? { StreamSpecification: STREAM } : {}),
  };
}

/**
 * Creates the table unless it exists, waits until it is ACTIVE, turns TTL on, and the stream too
 * when asked for one an existing table lacks (a data directory first used without webhooks).
 * Idempotent; an existing table is not otherwise compared with the definition or migrated.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: TableOptions = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName, options)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error; // exists, or is being created
  }
  const { reason } = await waitUntilTableExists({ client, ...WAITER }, { TableName: tableName });
  const streamed = (reason as DescribeTableCommandOutput | undefined)?.Table?.StreamSpecification
    ?.StreamEnabled;
  if ((options.stream ?? true) && !streamed) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
    await waitUntilTableExists({ client, ...WAITER }, { TableName: tableName });
  }
  await enableTtl(client, tableName);
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const attribute = tableDefinition.ttlAttribute;
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const on = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
  if (on && ttl?.AttributeName === attribute) return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error) {
    // A concurrent ensureTable got there first: AWS answers "TimeToLive is already enabled".
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
}

/** Deletes the table and waits until it is gone; a missing table is fine (tests' cleanup). */
export async function deleteTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return;
    throw error;
  }
  await waitUntilTableNotExists({ client, ...WAITER }, { TableName: tableName });
}
