import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEADLINE_DEFAULTS } from '../../shared/domain/escalation.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/**
 * The reasons each table row names, by the default it gives: the row whose cell after the reasons
 * says `refunded_unproven` refunds, `rejected_unproven` rejects.
 */
function tableDefaults(text: string, header: string): Record<string, string> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(header));
  expect(start, header).toBeGreaterThanOrEqual(0);
  const rows = lines
    .slice(start + 2)
    .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.trim().startsWith('|')));
  const found: Record<string, string> = {};
  for (const row of rows) {
    const [reasons = '', ...rest] = row.trim().replace(/^\|/, '').split('|');
    const outcome = rest.join('|').includes('rejected_unproven') ? 'reject' : 'refund';
    for (const [, reason] of reasons.matchAll(/`([a-z_]+)`/g)) if (reason) found[reason] = outcome;
  }
  return found;
}

/** Issue 17 item 4: the table of defaults is in docs/rules.md and docs/design.md; the code has the one list. */
describe('the deadline defaults as documented', () => {
  it.each([
    ['docs/rules.md', '| reason | default at the deadline |'],
    ['docs/design.md', '| reason | default | decision | records |'],
  ])('%s gives every escalation reason the default the code applies, and no other reason', (path, header) => {
    expect(tableDefaults(read(`../../${path}`), header)).toEqual({ ...DEADLINE_DEFAULTS });
  });
});
