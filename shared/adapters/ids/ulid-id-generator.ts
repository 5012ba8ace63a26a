import { randomBytes } from 'node:crypto';

import type { IdPrefix } from '../../ports/id-generator.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Prefixed, time-sortable ids: `<prefix>_` + 10 chars of millisecond time + 16 random
 * chars (Crockford base32, the ULID layout). Lexical order follows creation time.
 */
export function newId(prefix: IdPrefix, now: Date = new Date()): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(16);
  let randomPart = '';
  for (const byte of bytes) randomPart += CROCKFORD[byte % 32];
  return `${prefix}_${timePart}${randomPart}`;
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`).test(id);
}

export const ulidIdGenerator = { next: (prefix: IdPrefix, now?: Date) => newId(prefix, now) };
