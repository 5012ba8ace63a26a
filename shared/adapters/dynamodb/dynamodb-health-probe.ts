import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from './table-context.js';

export type DatabaseState = 'up' | 'down';

/** A key no item ever has: reading it costs half a read unit and proves the table answers. */
const PROBE_KEY = { pk: 'HEALTH#probe', sk: 'HEALTH#probe' };

/**
 * A cheap probe of the table for `/health`: one eventually consistent GetItem, its answer kept
 * for `ttlMs` (default 5 s) so a burst of health checks costs one read. Any failure (outage,
 * missing table) reads as `down`.
 */
export function createDynamoHealthProbe(
  ctx: TableContext,
  options: { ttlMs?: number; timeoutMs?: number; now?: () => number } = {},
): () => Promise<DatabaseState> {
  const ttlMs = options.ttlMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; state: Promise<DatabaseState> } | undefined;
  return () => {
    if (cached && now() - cached.at < ttlMs) return cached.state;
    const state = ctx.doc
      .send(new GetCommand({ TableName: ctx.tableName, Key: PROBE_KEY }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      })
      .then(
        (): DatabaseState => 'up',
        (): DatabaseState => 'down',
      );
    cached = { at: now(), state };
    return state;
  };
}
