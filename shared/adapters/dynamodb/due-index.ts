import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from './table-context.js';
import { DUE_INDEX } from './table-definition.js';

/**
 * Everything due by `now` in the given due-index shards (orders, rechecks, escalation deadlines),
 * up to `limit` per shard, each row with where it was found (for parse errors). Each shard is
 * sorted by due time; callers merge them so the longest-due items go first.
 */
export async function queryDueShards(
  ctx: TableContext,
  shards: readonly string[],
  now: string,
  limit: number,
  projection: string,
): Promise<Array<{ item: Record<string, unknown>; where: string }>> {
  const pages = await Promise.all(
    shards.map((shard) =>
      ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk <= :now',
          // '~' sorts after every id character, so everything due at `now` is included.
          ExpressionAttributeValues: { ':shard': shard, ':now': `${now}~` },
          ProjectionExpression: projection,
          Limit: limit,
        }),
      ),
    ),
  );
  return pages.flatMap((page, i) =>
    (page.Items ?? []).map((item) => ({ item, where: `${DUE_INDEX} ${shards[i]}` })),
  );
}
