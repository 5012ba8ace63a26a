import { describe, expect, it } from 'vitest';
import { nextSortableId, previousSortableId } from '../../shared/domain/sortable-id.js';

describe('sortable id arithmetic', () => {
  const id = 'evt_01JDQ6Z0000000000000000000'.slice(0, 30);

  it('gives the id just after and just before, in the same prefix and length', () => {
    expect(nextSortableId('evt_0000000000000000000000000A')).toBe('evt_0000000000000000000000000B');
    expect(previousSortableId('evt_0000000000000000000000000B')).toBe('evt_0000000000000000000000000A');
    // Crockford base32 skips I, L, O and U.
    expect(nextSortableId('evt_0000000000000000000000000H')).toBe('evt_0000000000000000000000000J');
    expect(previousSortableId(nextSortableId(id))).toBe(id);
  });

  it('carries and borrows across digits, so the order holds at the edges', () => {
    expect(nextSortableId('evt_000000000000000000000000AZ')).toBe('evt_000000000000000000000000B0');
    expect(previousSortableId('evt_000000000000000000000000B0')).toBe('evt_000000000000000000000000AZ');
    for (const x of ['evt_000000000000000000000000AZ', 'evt_0000000000ZZZZZZZZZZZZZZZZ', id]) {
      expect(previousSortableId(x) < x && x < nextSortableId(x)).toBe(true);
    }
  });

  it('refuses what is not a sortable id, and the ends of the range', () => {
    expect(() => nextSortableId('evt_1')).toThrow('not a sortable id');
    expect(() => nextSortableId('evt_0000000000000000000000000I')).toThrow('not a sortable id');
    expect(() => nextSortableId(`evt_${'Z'.repeat(26)}`)).toThrow('no sortable id beyond');
    expect(() => previousSortableId(`evt_${'0'.repeat(26)}`)).toThrow('no sortable id beyond');
  });
});
