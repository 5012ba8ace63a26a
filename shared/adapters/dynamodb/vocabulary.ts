/**
 * A domain vocabulary's words by name (`words(sellerStatuses).active`), so a state an expression
 * writes or compares is checked by `tsc` against the domain's `as const` list, not typed again.
 */
export function words<const T extends string>(vocabulary: readonly T[]): { readonly [K in T]: K } {
  return Object.fromEntries(vocabulary.map((word) => [word, word])) as { readonly [K in T]: K };
}
