import { describe, expect, it } from 'vitest';
import { hasPrefix, newId } from '../../shared/adapters/ids/ulid-id-generator.js';

/**
 * The events of one transition share one instant; the trail lists them by id, and the hash chain
 * links them in the order they were made. A README walkthrough run listed `report.refunded` before
 * `order.refunded` once and after it the next time: ids of one millisecond must count up.
 */
describe('newId', () => {
  it('lists ids made in the same millisecond in the order they were made', () => {
    const at = new Date('2026-12-07T23:00:00.000Z');
    const ids = Array.from({ length: 500 }, () => newId('evt', at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => hasPrefix(id, 'evt'))).toBe(true);
  });

  it('starts afresh (random) in another millisecond, and keeps time order across them', () => {
    const a = newId('evt', new Date(1_000));
    const b = newId('evt', new Date(1_001));
    const c = newId('evt', new Date(1_001));
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(b.slice(14)).not.toBe(a.slice(14));
  });
});
