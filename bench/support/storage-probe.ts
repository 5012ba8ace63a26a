import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

/** A raw call of one DynamoDB command on probe item `i` (items are spread over `i`'s partitions). */
export type ProbeCall = (i: number) => Promise<unknown>;

/**
 * Bare DynamoDB calls on the vault's table, one per command type the vault sends, for the
 * bench's storage ceiling: what the same DynamoDB allows with no service, HTTP or parsing in
 * front. Probe items live in their own `PROBE#` partitions, with a payload about the size of a
 * vault item; `seed` writes the ones reads need. Nothing in the vault calls this.
 */
export function createStorageProbe(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { payloadBytes?: number; transactItems?: number; partitions?: number } = {},
) {
  const payload = 'x'.repeat(options.payloadBytes ?? 400);
  const partitions = options.partitions ?? 64;
  const pk = (i: number) => `PROBE#${i % partitions}`;
  // Each probe writes its own keys, so a second probe on the same table never meets the first's items.
  const salt = randomUUID();
  const key = (i: number) => ({ pk: pk(i), sk: `ITEM#${salt}#${i}` });
  const txItems = Math.max(1, Math.min(100, Math.round(options.transactItems ?? 4)));
  let writes = 1_000_000_000;
  const fresh = () => (writes += 1);

  const calls: Record<string, ProbeCall> = {
    GetItem: (i) => doc.send(new GetCommand({ TableName: tableName, Key: key(i), ConsistentRead: true })),
    PutItem: () =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key(fresh()), payload },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    UpdateItem: (i) =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(i),
          UpdateExpression: 'SET version = if_not_exists(version, :zero) + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        }),
      ),
    DeleteItem: () => doc.send(new DeleteCommand({ TableName: tableName, Key: key(fresh()) })),
    Query: (i) =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk(i) },
          Limit: 1,
        }),
      ),
    TransactWriteItems: () =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: txItems }, () => ({
            Put: {
              TableName: tableName,
              Item: { ...key(fresh()), payload },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      ),
    TransactGetItems: (i) =>
      doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: tableName, Key: key(i) } }] })),
    BatchGetItem: (i) => doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [key(i)] } } })),
    BatchWriteItem: () =>
      doc.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: [{ PutRequest: { Item: { ...key(fresh()), payload } } }] },
        }),
      ),
  };

  return {
    /** The command types this probe can time. */
    commands: Object.keys(calls),
    call(command: string): ProbeCall | undefined {
      return calls[command];
    },
    /** Writes items 0..count-1, so gets, queries and updates find something. */
    async seed(count: number): Promise<void> {
      for (let start = 0; start < count; start += 25) {
        const chunk = Array.from({ length: Math.min(25, count - start) }, (_, j) => ({
          PutRequest: { Item: { ...key(start + j), payload } },
        }));
        await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: chunk } }));
      }
    },
  };
}

export type StorageProbe = ReturnType<typeof createStorageProbe>;
