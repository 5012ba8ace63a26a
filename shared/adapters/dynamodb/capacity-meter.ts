import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** One DynamoDB call as the meter saw it: its command, the capacity it consumed, how it ended. */
export interface MeteredCall {
  /** `GetItem`, `TransactWriteItems`, ... (the SDK command name without `Command`). */
  readonly command: string;
  /** The index a Query or Scan read, when not the table. */
  readonly index?: string;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Items in a transaction or batch; 1 otherwise. */
  readonly items: number;
  readonly ok: boolean;
  readonly ms: number;
}

/** Data-plane commands that accept `ReturnConsumedCapacity` (table admin commands reject it). */
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
/** Whether a metered call was a read (its units are read units). */
export const isReadCommand = (command: string): boolean => READS.has(command);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

function itemsIn(input: Record<string, unknown>): number {
  const list = input.TransactItems;
  if (Array.isArray(list)) return list.length;
  const batch = (input.RequestItems ?? {}) as Record<string, unknown[] | { Keys?: unknown[] }>;
  let n = 0;
  for (const v of Object.values(batch)) n += Array.isArray(v) ? v.length : (v.Keys?.length ?? 0);
  return n || 1;
}

/** Rough stored size of an item (names plus values), in either document or marshalled form. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + sizeOf(v), 0);
  if (value && typeof value === 'object')
    return Object.entries(value).reduce((sum, [k, v]) => sum + k.length + sizeOf(v), 0);
  return 0;
}

const INDEX_KEYS = ['gsi1pk', 'gsi2pk'];

/**
 * DynamoDB Local reports a whole TransactWriteItems as about 2 units whatever it holds, while
 * DynamoDB bills 2 WRU per action per KB (condition checks included) plus 1 WRU per index entry
 * written. This bills each action that way: a Put by its item's size and index keys, an Update,
 * Delete or ConditionCheck as one item under 1 KB (their stored size is not in the request).
 */
function transactionWriteUnits(input: Record<string, unknown>): number {
  const actions = (input.TransactItems ?? []) as Record<string, { Item?: Record<string, unknown> }>[];
  let units = 0;
  for (const action of actions) {
    const item = action.Put?.Item;
    if (!item) {
      units += 2;
      continue;
    }
    units += 2 * Math.max(1, Math.ceil(sizeOf(item) / 1024));
    units += INDEX_KEYS.filter((k) => item[k] !== undefined).length;
  }
  return units;
}

function units(consumed: unknown): number {
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as ConsumedCapacity[];
  return list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/**
 * Asks DynamoDB for the capacity of every data-plane call (`ReturnConsumedCapacity: 'TOTAL'`,
 * which DynamoDB Local also answers) and hands each call to `see`. Meant for the bench: it
 * changes what the client sends, never what the caller gets back. A failed call reports 0 units,
 * because DynamoDB returns no capacity with an error.
 */
export function meterDynamoClient(client: DynamoDBClient, see: (call: MeteredCall) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      const isRead = READS.has(command);
      if (isRead || WRITES.has(command)) input.ReturnConsumedCapacity = 'TOTAL';
      const items = itemsIn(input);
      const index = typeof input.IndexName === 'string' ? { index: input.IndexName } : {};
      const started = performance.now();
      try {
        const result = await next(args);
        const reported = units((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        const total =
          command === 'TransactWriteItems' ? Math.max(reported, transactionWriteUnits(input)) : reported;
        see({
          command,
          ...index,
          readUnits: isRead ? total : 0,
          writeUnits: isRead ? 0 : total,
          items,
          ok: true,
          ms: performance.now() - started,
        });
        return result;
      } catch (error) {
        see({
          command,
          ...index,
          readUnits: 0,
          writeUnits: 0,
          items,
          ok: false,
          ms: performance.now() - started,
        });
        throw error;
      }
    },
    { step: 'initialize', name: 'capacityMeter', priority: 'high' },
  );
}
