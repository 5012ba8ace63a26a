/**
 * A page of a trail, oldest first. `cursor` is the `nextCursor` of the page before: the id of
 * its last row. A cursor that names no row of this very list is refused (`ValidationError`).
 */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** One page; `nextCursor` only while there may be more. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}
