import { afterEach, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import {
  EUR,
  eventsOf,
  expectProblem,
  findCodes,
  orderOf,
  redeemAtIssuer,
  sellerOf,
  storedOrder,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aPaidOrder, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

/** Defaults of REVEAL_RETRY_SECONDS and REVEAL_DEADLINE_SECONDS. */
const REVEAL_RETRY_SECONDS = 86_400;
const REVEAL_DEADLINE_SECONDS = 2_592_000;

describe('disputes: paid orders end, and a lost reveal is not a lost code', () => {
  it('re-delivers the code to a same-key retry 15 minutes later, with an event; another key is refused', async () => {
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);
    const key = unique('reveal-key');
    const first = await reveal(s, orderId, buyerId, key);
    expect(first.status, first.text).toBe(200);
    s.clock.advance(15 * 60);

    const retry = await reveal(s, orderId, buyerId, key);

    expect(retry.status, retry.text).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.body.cards).toEqual([{ cardId: card.cardId, code: normalizeCode(card.code) }]);
    expect(retry.headers.get('cache-control')).toBe('no-store');
    const redelivered = (await eventsOf(s, orderId)).filter((e) => e.type === 'order.redelivered');
    expect(redelivered).toHaveLength(1);
    expect(findCodes(JSON.stringify(redelivered), [card.code])).toEqual([]);
    const otherKey = await reveal(s, orderId, buyerId, unique('reveal-key'));
    expectProblem(otherKey, 409, 'already-revealed');
    expect(findCodes(otherKey.text, [card.code])).toEqual([]);

    s.clock.advance(REVEAL_RETRY_SECONDS - 15 * 60 + 1);
    expectProblem(await reveal(s, orderId, buyerId, key), 409, 'already-revealed');
    expect((await eventsOf(s, orderId)).filter((e) => e.type === 'order.redelivered')).toHaveLength(1);
    expect((await eventsOf(s, orderId)).filter((e) => e.type === 'order.revealed')).toHaveLength(1);
  });

  it('releases a paid, never revealed order at its reveal deadline, still revealable; refunds a dead one', async () => {
    const s = stack.current;
    const live = await aPaidOrder(s, { price: 4500 });
    const dead = await aPaidOrder(s, { price: 4500 });
    await redeemAtIssuer(s, dead.card.code);
    const diesLater = await aPaidOrder(s, { price: 4500 });
    s.clock.advance(REVEAL_DEADLINE_SECONDS + 1);

    await s.vault.sweeper.sweep();

    // A live code: the seller is paid, the code stays sealed for the buyer.
    const released = await storedOrder(s, live.orderId);
    expect(released).toMatchObject({ state: 'released' });
    expect(released.revealedAt).toBeUndefined();
    expect((await sellerOf(s, live.sellerId)).balance).toEqual({ EUR: { held: 0, available: 4500 } });
    expect((await eventsOf(s, live.orderId)).at(-1)).toMatchObject({
      type: 'order.released',
      actor: 'sweeper',
      from: 'paid',
      to: 'released',
    });
    const late = await reveal(s, live.orderId, live.buyerId);
    expect(late.status, late.text).toBe(200);
    expect(late.body.cards).toEqual([{ cardId: live.card.cardId, code: normalizeCode(live.card.code) }]);
    expect((await orderOf(s, live.orderId)).state).toBe('released');

    // A dead code: refunded and penalised by the sweep, nothing shown.
    expect(await orderOf(s, dead.orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    expect(await sellerOf(s, dead.sellerId)).toMatchObject({
      strikes: 1,
      penalties: [
        expect.objectContaining({ cardId: dead.card.cardId, fine: EUR(450), foundBy: 'issuer_check' }),
      ],
      balance: { EUR: { held: 0, available: -450 } },
    });
    const refused = await reveal(s, dead.orderId, dead.buyerId);
    expectProblem(refused, 409, 'code-already-redeemed');
    expect(findCodes(refused.text, [dead.card.code])).toEqual([]);

    // Released live, dead at the buyer's reveal: refunded from the seller's available balance.
    expect((await storedOrder(s, diesLater.orderId)).state).toBe('released');
    await redeemAtIssuer(s, diesLater.card.code);
    const tooLate = await reveal(s, diesLater.orderId, diesLater.buyerId);
    expectProblem(tooLate, 409, 'code-already-redeemed');
    expect(findCodes(tooLate.text, [diesLater.card.code])).toEqual([]);
    expect(await orderOf(s, diesLater.orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    expect(await sellerOf(s, diesLater.sellerId)).toMatchObject({
      strikes: 1,
      balance: { EUR: { held: 0, available: -450 } },
    });
  });
});
