import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { eventsOf, expectProblem, findCodes } from '../support/fraud-helpers.js';
import { aListing, anOrder, aPaidOrder, depositFresh, pay, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
/** The default REVEAL_RETRY_SECONDS. */
const REVEAL_RETRY_SECONDS = defaultSettings.revealRetrySeconds;

describe('lifecycle: the single-use reveal and its retry', () => {
  it('decrypts again for a retry with the same Idempotency-Key, refuses any other key, and stops after the retry window', async () => {
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);
    const key = unique('reveal-key');

    const first = await reveal(s, orderId, buyerId, key);
    const retry = await reveal(s, orderId, buyerId, key);
    const otherKey = await reveal(s, orderId, buyerId, unique('reveal-key'));

    expect(first.status, first.text).toBe(200);
    expect(first.body.cards).toEqual([{ cardId: card.cardId, code: normalizeCode(card.code) }]);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('cache-control')).toBe('no-store');
    expectProblem(otherKey, 409, 'already-revealed');
    expect(findCodes(otherKey.text, [card.code])).toEqual([]);

    s.clock.advance(REVEAL_RETRY_SECONDS + 1);
    const late = await reveal(s, orderId, buyerId, key);
    expectProblem(late, 409, 'already-revealed');
    expect(findCodes(late.text, [card.code])).toEqual([]);
    const reveals = (await eventsOf(s, orderId)).filter((e) => e.type === 'order.revealed');
    expect(reveals).toHaveLength(1);
  });

  it('reveals every card of a multi-card order at once', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const cards = await depositFresh(s, listingId, 3);
    const { order, orderId, buyerId } = await anOrder(s, listingId, undefined, 2);
    await pay(s, order);

    const res = await reveal(s, orderId, buyerId);

    expect(res.status, res.text).toBe(200);
    const byId = new Map(cards.map((c) => [c.cardId, normalizeCode(c.code)]));
    expect(res.body.cards).toHaveLength(2);
    for (const c of res.body.cards) expect(c.code).toBe(byId.get(c.cardId));
    expect(res.body.cards.map((c: { cardId: string }) => c.cardId).sort()).toEqual(
      order.cards.map((c: { cardId: string }) => c.cardId).sort(),
    );
  });

  it("refuses a reveal by anyone but the order's buyer, as if the order did not exist", async () => {
    const s = stack.current;
    const { orderId, card } = await aPaidOrder(s);

    const res = await reveal(s, orderId, unique('impostor'));

    expectProblem(res, 404, 'not-found');
    expect(findCodes(res.text, [card.code])).toEqual([]);
  });
});
