import type * as z from 'zod/mini';
import type { Key } from './keys.js';

/**
 * An item read from the table does not have the shape its kind must have: a fault in the data
 * or in a writer, not bad input. It names the kind, the key and the offending attribute paths,
 * never a value (a card item holds ciphertext); the schema's issues are not kept as `cause`
 * for the same reason.
 */
export class MalformedItemError extends Error {
  override readonly name = 'MalformedItemError';
  constructor(
    readonly kind: string,
    readonly key: string,
    readonly paths: readonly string[],
  ) {
    super(`malformed ${kind} item at ${key}: bad or missing ${paths.join(', ')}`);
  }
}

/** Where an item sits: the key it was read by, else its own `pk`/`sk` (index projections may lack them). */
function keyLabel(item: Record<string, unknown>, key?: Key | string): string {
  if (typeof key === 'string') return key;
  const { pk, sk } = key ?? item;
  return typeof pk === 'string' && typeof sk === 'string' ? `${pk} / ${sk}` : '(key not read)';
}

/** Parses one item of `kind` or throws `MalformedItemError`; attributes the schema does not name are dropped. */
export function parseItem<S extends z.ZodMiniType>(
  kind: string,
  schema: S,
  item: Record<string, unknown>,
  key?: Key | string,
): z.output<S> {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const paths = result.error.issues.map((issue) => issue.path.map(String).join('.') || '(item)');
  throw new MalformedItemError(kind, keyLabel(item, key), [...new Set(paths)]);
}
