import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { ValidationError } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../ports/page.js';
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

/**
 * One page of a partition's rows under `skPrefix`, in key order (a trail: oldest first). The
 * cursor is the id of the previous page's last row: the query starts AT that row's key, rebuilt
 * inside the caller's own partition, and the page stands only if the row is there. A cursor from
 * another partition (another order, seller or tenant), made up or stale, finds no row: refused.
 * One row more than the page is read, so `nextCursor` is given only when a row follows (the last
 * page has none, and no empty page comes after it).
 */
export async function queryPage(
  ctx: TableContext,
  pk: string,
  skPrefix: string,
  page: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const from = page.cursor === undefined ? undefined : `${skPrefix}${page.cursor}`;
  const result = await ctx.doc.send(
    new QueryCommand({
      TableName: ctx.tableName,
      ConsistentRead: true,
      ...(from === undefined
        ? {
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
            Limit: page.limit + 1,
          }
        : {
            // Every id is ASCII: U+FFFF sorts after all of them (DynamoDB compares UTF-8 bytes).
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${skPrefix}\uffff` },
            Limit: page.limit + 2,
          }),
    }),
  );
  let rows = result.Items ?? [];
  if (from !== undefined) {
    if (rows[0]?.sk !== from)
      throw new ValidationError('cursor is not one this list gave', { cursor: 'invalid' });
    rows = rows.slice(1);
  }
  const items = rows.slice(0, page.limit);
  // More follows: the extra row came back, or DynamoDB stopped early (its 1 MB page).
  const more = rows.length > page.limit || (result.LastEvaluatedKey !== undefined && items.length > 0);
  // The next cursor names the last row by its id, the sort key after the prefix (never a raw key).
  const last = items.at(-1)?.sk;
  return { items, ...(more && typeof last === 'string' ? { nextCursor: last.slice(skPrefix.length) } : {}) };
}
