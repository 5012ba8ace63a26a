import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction item with a name, so a cancelled transaction says which condition failed. */
export interface TaggedItem {
  readonly tag: string;
  readonly item: TransactItem;
}

/** How a transaction ended: committed, or cancelled with the tags of the conditions that failed. */
export type TransactOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly failed: readonly string[];
      /** Whether the item tagged `tag` (or `tag:<id>`) failed its condition. */
      has(tag: string): boolean;
    };

function cancelled(failed: readonly string[]): TransactOutcome {
  return { ok: false, failed, has: (tag) => failed.some((t) => t === tag || t.startsWith(`${tag}:`)) };
}

/**
 * Runs one TransactWriteItems and returns whether it committed or which tagged conditions
 * failed. A conflict with another in-flight transaction throws `ConcurrentUpdateError` (kept
 * as `cause`), which services retry on fresh state, unless `onConflict: 'fail'`: then it is
 * one more failed outcome, with no failed tag, for callers that re-read on any lost race.
 * Any other error is a real fault and is rethrown.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: readonly TaggedItem[],
  options: { onConflict: 'throw' | 'fail' } = { onConflict: 'throw' },
): Promise<TransactOutcome> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.flatMap((reason, index) =>
      reason.Code === 'ConditionalCheckFailed' ? [items[index]?.tag ?? `#${index}`] : [],
    );
    if (failed.length > 0) return cancelled(failed);
    // Only a clash with another in-flight transaction is worth a retry; anything else
    // (validation, size limits, throttling past the SDK's retries) is a real fault.
    if (!reasons.some((reason) => reason.Code === 'TransactionConflict')) throw error;
    if (options.onConflict === 'fail') return cancelled([]);
    throw new ConcurrentUpdateError('a concurrent transaction touched the same items', {}, { cause: error });
  }
}
