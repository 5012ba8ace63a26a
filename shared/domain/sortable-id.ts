/**
 * Arithmetic on the vault's time-sortable ids (`<prefix>_` + 26 Crockford base32 characters, the
 * ULID layout): the id just after or just before another, in the same millisecond. Used where one
 * change needs a second id ordered against the first without a second write: a buyer's confirm
 * published as `order.confirmed` just before its `order.released`, a suspension just after the
 * penalties that caused it.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function nextSortableId(id: string): string {
  return step(id, 1);
}

export function previousSortableId(id: string): string {
  return step(id, -1);
}

function step(id: string, by: 1 | -1): string {
  const cut = id.lastIndexOf('_');
  const prefix = id.slice(0, cut + 1);
  const digits = [...id.slice(cut + 1)].map((c) => CROCKFORD.indexOf(c));
  if (digits.length !== 26 || digits.some((d) => d < 0)) throw new Error('not a sortable id');
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = (digits[i] as number) + by;
    if (d >= 0 && d < 32) {
      digits[i] = d;
      return prefix + digits.map((x) => CROCKFORD[x]).join('');
    }
    digits[i] = by === 1 ? 0 : 31; // carry or borrow into the next digit
  }
  throw new Error('no sortable id beyond this one');
}
