import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import type { Key } from './keys.js';
import { parseItem } from './parse-item.js';

/** What every DynamoDB store needs: the document client and the table name (from config). */
export interface TableContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** One item, read consistently: every read precedes a conditional write that must see the latest state. */
export async function getItem(ctx: TableContext, key: Key): Promise<Record<string, unknown> | undefined> {
  const result = await ctx.doc.send(
    new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: true }),
  );
  return result.Item;
}

/** One item of `kind`, parsed (see `parseItem`), or undefined if there is none. */
export async function getParsed<S extends z.ZodMiniType>(
  ctx: TableContext,
  kind: string,
  schema: S,
  key: Key,
): Promise<z.output<S> | undefined> {
  const item = await getItem(ctx, key);
  return item && parseItem(kind, schema, item, key);
}

/**
 * Every item a query matches, page by page, in key order: the one paging loop of the stores.
 * A caller that stops early (`break`) reads no further page.
 */
export async function* queryItems(
  ctx: TableContext,
  query: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new QueryCommand({ ...query, TableName: ctx.tableName, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) yield item;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Every item of one partition whose sort key starts with `skPrefix`, page by page, in key order. */
export async function queryPrefix(
  ctx: TableContext,
  pk: string,
  skPrefix: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const item of queryItems(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
    ConsistentRead: true,
  }))
    items.push(item);
  return items;
}

/** A transaction Put that creates the item or fails its condition: ids are never overwritten. */
export function putNew(tableName: string, item: Record<string, unknown> & Key) {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}
