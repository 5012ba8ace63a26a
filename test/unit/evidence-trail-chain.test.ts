import { describe, expect, it } from 'vitest';
import { linkEvents } from '../../shared/adapters/dynamodb/trail-chain-items.js';
import type { OrderEvent } from '../../shared/domain/order-event.js';
import { trailLine } from '../../shared/domain/trail-line.js';
import { canonicalize } from '../../shared/evidence/canonical-json.js';
import { chainOrder, sha256Hex, verifyTrail } from '../../shared/evidence/trail-chain.js';

function anEvent(n: number, overrides: Partial<OrderEvent> = {}): OrderEvent {
  return {
    eventId: `evt_${String(n).padStart(26, '0')}`,
    orderId: 'ord_1',
    type: 'order.placed',
    actor: 'buyer',
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    data: { n, note: 'ünïcode €' },
    ...overrides,
  };
}

/** A trail of four lines as the store writes it (two transactions) and as the API shows it. */
function aTrail() {
  const first = linkEvents(undefined, [anEvent(1)]);
  const rest = linkEvents(first.head, [
    anEvent(2, { type: 'payment.received', from: 'pending_payment', to: 'paid' }),
    anEvent(3, { type: 'order.revealed', actor: 'buyer' }),
    anEvent(4, { type: 'order.redelivered' }),
  ]);
  return { lines: [...first.events, ...rest.events].map(trailLine), head: rest.head };
}

describe('the trail hash chain', () => {
  it('hashes the line as the API shows it without `hash`, in lower-case hex, linked by `prevHash`', async () => {
    const { lines, head } = aTrail();
    const [first, second] = lines;
    expect(first?.prevHash).toBeUndefined();
    expect(second?.prevHash).toBe(first?.hash);
    const { hash: _h, ...withoutHash } = second ?? { hash: '' };
    expect(second?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.hash).toBe(await sha256Hex(canonicalize(withoutHash)));
    expect(lines.at(-1)?.hash).toBe(head);
  });

  it('verifies a whole trail written by the store (Node hash) with WebCrypto alone', async () => {
    const { lines, head } = aTrail();
    expect(await verifyTrail(lines, head)).toEqual({ ok: true, head });
  });

  it('finds a changed event: any field, even a nested one', async () => {
    const { lines, head } = aTrail();
    const changed = lines.map((l, i) => (i === 2 ? { ...l, data: { ...l.data, n: 99 } } : l));
    expect(await verifyTrail(changed, head)).toMatchObject({ ok: false, index: 2, problem: 'hash-mismatch' });
    const retyped = lines.map((l, i) => (i === 0 ? { ...l, actor: 'seller' as const } : l));
    expect(await verifyTrail(retyped, head)).toMatchObject({ ok: false, index: 0, problem: 'hash-mismatch' });
  });

  it('finds an event removed from the middle, from the start, and from the end (against the head)', async () => {
    const { lines, head } = aTrail();
    expect(
      await verifyTrail(
        lines.filter((_, i) => i !== 1),
        head,
      ),
    ).toMatchObject({
      ok: false,
      index: 1,
      problem: 'broken-link',
    });
    expect(await verifyTrail(lines.slice(1), head)).toMatchObject({
      ok: false,
      index: 0,
      problem: 'first-has-prev',
    });
    expect(await verifyTrail(lines.slice(0, -1), head)).toMatchObject({
      ok: false,
      problem: 'head-mismatch',
    });
  });

  it('finds two events swapped', async () => {
    const { lines, head } = aTrail();
    const swapped = [lines[0], lines[2], lines[1], lines[3]].filter((l) => l !== undefined);
    expect(await verifyTrail(swapped, head)).toMatchObject({ ok: false, index: 1, problem: 'broken-link' });
  });

  it('finds a rewritten event whose hash was recomputed: its successor no longer links to it', async () => {
    const { lines, head } = aTrail();
    const target = lines[1];
    if (!target) throw new Error('no second line');
    const { hash: _old, ...rest } = { ...target, data: { forged: true } };
    const forged = { ...rest, hash: await sha256Hex(canonicalize(rest)) };
    const rewritten = lines.map((l, i) => (i === 1 ? forged : l));
    expect(await verifyTrail(rewritten, head)).toMatchObject({ ok: false, index: 2, problem: 'broken-link' });
  });

  it('refuses a line without a hash', async () => {
    const { lines } = aTrail();
    const { hash: _gone, ...bare } = lines[0] ?? { hash: '' };
    expect(await verifyTrail([bare as (typeof lines)[number]])).toMatchObject({
      ok: false,
      problem: 'no-hash',
    });
  });

  it('puts lines in chain order whatever order their ids sort in, lines off the chain last', () => {
    const { lines, head } = aTrail();
    const shuffled = [lines[3], lines[0], lines[2], lines[1]].filter((l) => l !== undefined);
    expect(chainOrder(shuffled, head)).toEqual(lines);
    const stray = { ...anEvent(9), hash: 'f'.repeat(64) };
    expect(chainOrder([stray, ...shuffled], head)).toEqual([...lines, stray]);
  });
});
