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

/** The named conditions that failed in a cancelled transaction. */
export class ConditionsFailedError extends Error {
  override readonly name = 'ConditionsFailedError';
  constructor(
    readonly failedTags: readonly string[],
    options: ErrorOptions,
  ) {
    super(`transaction conditions failed: ${failedTags.join(', ')}`, options);
  }

  has(tagPrefix: string): boolean {
    return this.failedTags.some((t) => t === tagPrefix || t.startsWith(`${tagPrefix}:`));
  }
}

/**
 * Runs one TransactWriteItems. A failed condition becomes `ConditionsFailedError` naming
 * the tagged items; a conflict with another in-flight transaction becomes
 * `ConcurrentUpdateError`, which services retry on fresh state. `cause` is kept.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: readonly TaggedItem[],
): Promise<void> {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items.map((i) => i.item) }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.flatMap((reason, index) =>
      reason.Code === 'ConditionalCheckFailed' ? [items[index]?.tag ?? `#${index}`] : [],
    );
    if (failed.length > 0) throw new ConditionsFailedError(failed, { cause: error });
    // Only a clash with another in-flight transaction is worth a retry; anything else
    // (validation, size limits, throttling past the SDK's retries) is a real fault.
    if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
      throw new ConcurrentUpdateError(
        'a concurrent transaction touched the same items',
        {},
        { cause: error },
      );
    }
    throw error;
  }
}
