import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EscalationLevels } from '../../ports/report-store.js';
import { keys } from './keys.js';
import type { TableContext } from './table-context.js';
import { DUE_INDEX } from './table-definition.js';

/**
 * How many escalations are open across tenants, and the earliest deadline among them, from the
 * escalation-deadline shards of the due index (a pointer exists exactly while a report is open).
 * Per shard: a COUNT query (paged, it reads keys only) and the first item (each shard is sorted
 * by deadline).
 */
export async function escalationLevels(ctx: TableContext): Promise<EscalationLevels> {
  const perShard = await Promise.all(
    keys.escalationDueShards().map(async (shard) => {
      const base = {
        TableName: ctx.tableName,
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'gsi1pk = :shard',
        ExpressionAttributeValues: { ':shard': shard },
      };
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await ctx.doc.send(
          new QueryCommand({ ...base, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      if (count === 0) return { count, first: undefined };
      const first = await ctx.doc.send(
        new QueryCommand({ ...base, ProjectionExpression: 'gsi1sk', Limit: 1 }),
      );
      const sk = first.Items?.[0]?.gsi1sk;
      return { count, first: typeof sk === 'string' ? sk.split('#')[0] : undefined };
    }),
  );
  const deadlines = perShard.flatMap((s) => (s.first ? [s.first] : [])).sort();
  const count = perShard.reduce((n, s) => n + s.count, 0);
  return deadlines[0] ? { count, earliestDeadline: deadlines[0] } : { count };
}
