import { randomBytes } from 'node:crypto';

import type { IdPrefix } from '../../ports/id-generator.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The last id's time and random digits: ids made in the same millisecond count up from it. */
let last = { time: -1, digits: [] as number[] };

function randomDigits(time: number): number[] {
  if (time === last.time) {
    // ULID's monotonic rule: within one millisecond, the next id is the last one plus one, so the
    // events one transition writes (all stamped with its one instant) list in the order they were
    // made, which is their hash chain's order. (16 digits of base 32 do not run out in a millisecond.)
    const digits = [...last.digits];
    for (let i = digits.length - 1; i >= 0; i--) {
      digits[i] = ((digits[i] as number) + 1) % 32;
      if (digits[i] !== 0) break;
    }
    last = { time, digits };
    return digits;
  }
  const digits = [...randomBytes(16)].map((byte) => byte % 32);
  last = { time, digits };
  return digits;
}

/**
 * Prefixed, time-sortable ids: `<prefix>_` + 10 chars of millisecond time + 16 random
 * chars (Crockford base32, the ULID layout). Lexical order follows creation time, within a
 * millisecond too (in one process).
 */
export function newId(prefix: IdPrefix, now: Date = new Date()): string {
  let time = now.getTime();
  const digits = randomDigits(time);
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return `${prefix}_${timePart}${digits.map((d) => CROCKFORD[d]).join('')}`;
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`).test(id);
}

export const ulidIdGenerator = { next: (prefix: IdPrefix, now?: Date) => newId(prefix, now) };
