import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { runAdminCli } from '../support/admin-cli.js';
import {
  buyerOf,
  EUR,
  eventsOf,
  expectProblem,
  orderOf,
  redeemAtTime,
  redeemWithoutTime,
  report,
  sellerOf,
  storedReport,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aListing, anOrder, depositFresh, pay, reveal, unique } from '../support/scenario.js';
import type { TestStack } from '../support/test-stack.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * Issue 17: the seller still knows the code after the sale. Each case is what a user hit before
 * the change, on the local stack with RACE_WINDOW_SECONDS at its default (120 s).
 */
const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

const RACE = defaultSettings.raceWindowSeconds;
const DISPUTE_WINDOW = defaultSettings.disputeWindowSeconds;
const DEADLINE = defaultSettings.escalationDeadlineSeconds;

/** A revealed one-card order from `sellerId`'s listing to a fresh buyer. */
async function aSale(s: TestStack, listingId: string) {
  const [card] = await depositFresh(s, listingId, 1);
  const { order, orderId, buyerId } = await anOrder(s, listingId, unique('buyer'));
  await pay(s, order);
  const res = await reveal(s, orderId, buyerId);
  expect(res.status, res.text).toBe(200);
  return {
    orderId,
    buyerId,
    card: card as { code: string; cardId: string },
    revealedAt: res.body.revealedAt as string,
  };
}

/** The seller redeems the code `seconds` after the reveal, and the buyer reports it. */
async function redeemedAfterRevealAndReported(
  s: TestStack,
  sale: Awaited<ReturnType<typeof aSale>>,
  seconds = 300,
) {
  await redeemAtTime(s, sale.card.code, Date.parse(sale.revealedAt) + seconds * 1000);
  const res = await report(s, sale.orderId, sale.buyerId, sale.card.cardId);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const reportOf = storedReport;

/** Two buyers of one seller whose codes the seller redeemed 5 minutes after each reveal. */
async function aSellerUnderReview(s: TestStack) {
  const { listingId, sellerId } = await aListing(s, { price: 4500 });
  const first = await aSale(s, listingId);
  const firstReport = await redeemedAfterRevealAndReported(s, first);
  const second = await aSale(s, listingId);
  const secondReport = await redeemedAfterRevealAndReported(s, second);
  return { listingId, sellerId, first, firstReport, second, secondReport };
}

describe('the seller who keeps the code (issue 17)', () => {
  it('tells the seller nothing when the buyer reveals: message, standing and trail are the same before and after', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    await pay(s, order);
    const before = {
      message: (await orderOf(s, orderId)).sellerMessage,
      standing: await sellerOf(s, sellerId),
      trail: (await s.get(`/v1/sellers/${sellerId}/events`)).body,
    };

    s.clock.advance(10);
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);

    expect((await orderOf(s, orderId)).state).toBe('revealed');
    expect((await orderOf(s, orderId)).sellerMessage).toBe(before.message);
    expect(await sellerOf(s, sellerId)).toEqual(before.standing);
    expect((await s.get(`/v1/sellers/${sellerId}/events`)).body).toEqual(before.trail);
    expect(card).toBeDefined();
  });

  it('escalates (race_window) a card the seller spent 49.99 of 10 seconds after the reveal', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500, faceValue: 5000 });
    const sale = await aSale(s, listingId);
    const spend = await s.issuer('/_sim/cards/spend-at', {
      code: sale.card.code,
      amount: 4999,
      at: new Date(Date.parse(sale.revealedAt) + 10_000).toISOString(),
    });
    expect(spend.status, spend.text).toBe(200);

    const res = await report(s, sale.orderId, sale.buyerId, sale.card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      decision: 'escalated',
      status: 'open',
      escalation: { reason: 'race_window' },
      evidence: {
        issuerState: 'active',
        lastUsedAt: new Date(Date.parse(sale.revealedAt) + 10_000).toISOString(),
      },
    });
    expect(await buyerOf(s, sale.buyerId)).toMatchObject({ rejected: 0, escalated: 1 });
    expect(await sellerOf(s, sellerId)).toMatchObject({ strikes: 0 });
  });

  it('rejects a card spent after the race window, on the spend time the issuer gives', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s, { price: 4500, faceValue: 5000 });
    const sale = await aSale(s, listingId);
    const at = new Date(Date.parse(sale.revealedAt) + (RACE + 60) * 1000).toISOString();
    expect((await s.issuer('/_sim/cards/spend-at', { code: sale.card.code, amount: 2000, at })).status).toBe(
      200,
    );

    const res = await report(s, sale.orderId, sale.buyerId, sale.card.cardId);

    expect(res.body).toMatchObject({ decision: 'rejected', evidence: { lastUsedAt: at } });
    expect(res.body.evidence.rationale).toMatch(/spent after the reveal/);
  });

  it('suspects the seller at the second buyer: escalates, reopens the first, holds the releases, then clears and pays', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const first = await aSale(s, listingId);
    const firstReport = await redeemedAfterRevealAndReported(s, first);
    expect(firstReport).toMatchObject({ decision: 'rejected', status: 'closed' });
    expect(await buyerOf(s, first.buyerId)).toMatchObject({ rejected: 1 });
    expect((await sellerOf(s, sellerId)).review).toBeUndefined();

    // The same story with a second buyer: one too many.
    const second = await aSale(s, listingId);
    const secondReport = await redeemedAfterRevealAndReported(s, second);
    expect(secondReport).toMatchObject({
      decision: 'escalated',
      status: 'open',
      escalation: { reason: 'seller_suspected' },
    });
    // The first report is reopened the same way, and its rejection no longer counts against its buyer.
    expect(await reportOf(s, first.orderId, first.card.cardId)).toMatchObject({
      decision: 'escalated',
      status: 'open',
      escalation: { reason: 'seller_suspected' },
    });
    expect(await buyerOf(s, first.buyerId)).toMatchObject({ rejected: 0, escalated: 1, creditPoor: false });
    const standing = await sellerOf(s, sellerId);
    expect(standing.review).toMatchObject({ status: 'under_review', buyers: 2 });
    const trail = (await s.get(`/v1/sellers/${sellerId}/events`)).body.events;
    expect(trail.map((e: { type: string }) => e.type)).toEqual(['seller.review_opened']);

    // A third buyer's order: its dispute window closes while the review is open. Nothing is paid.
    const third = await aSale(s, listingId);
    s.clock.advance(DISPUTE_WINDOW + 60);
    await s.vault.sweeper.sweep();
    expect(await orderOf(s, third.orderId)).toMatchObject({ state: 'revealed' });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 3 * 4500, available: 0 } });
    expect((await eventsOf(s, third.orderId)).at(-1)).toMatchObject({
      type: 'order.release_held',
      data: { reason: 'seller_review' },
    });

    const cleared = await s.post(`/v1/sellers/${sellerId}/review`, {
      outcome: 'cleared',
      note: 'issuer logs show the buyers redeemed them',
      decidedBy: 'desk-1',
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.review).toBeUndefined();

    // The held release is paid; the reports the review held are rejected again.
    expect(await orderOf(s, third.orderId)).toMatchObject({ state: 'released' });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 2 * 4500, available: 4500 } });
    for (const sale of [first, second]) {
      expect(await reportOf(s, sale.orderId, sale.card.cardId)).toMatchObject({
        decision: 'rejected',
        status: 'closed',
        settlement: { outcome: 'reject', by: 'vault' },
      });
      expect(await buyerOf(s, sale.buyerId)).toMatchObject({ rejected: 1 });
    }
    const after = (await s.get(`/v1/sellers/${sellerId}/events`)).body.events;
    expect(after.map((e: { type: string }) => e.type)).toEqual([
      'seller.review_opened',
      'seller.review_closed',
    ]);
    expect(after[1]).toMatchObject({ by: 'desk-1', data: { outcome: 'cleared' } });

    // The counting starts afresh: the next buyer's story is one buyer again, rejected.
    const fourth = await aSale(s, listingId);
    expect(await redeemedAfterRevealAndReported(s, fourth)).toMatchObject({ decision: 'rejected' });
    expect((await sellerOf(s, sellerId)).review).toBeUndefined();
  });

  it('ends a review in suspension: the held reports refunded with a penalty each, the seller suspended', async () => {
    const s = stack.current;
    const { sellerId, listingId, first, second } = await aSellerUnderReview(s);
    // A third buyer's story while under review is held the same way.
    const third = await aSale(s, listingId);
    expect(await redeemedAfterRevealAndReported(s, third)).toMatchObject({
      decision: 'escalated',
      escalation: { reason: 'seller_suspected' },
    });

    const suspended = await s.post(`/v1/sellers/${sellerId}/review`, {
      outcome: 'suspended',
      note: 'three buyers, the same pattern',
      decidedBy: 'desk-2',
    });

    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', strikes: 3, payoutsHeld: true });
    for (const sale of [first, second, third]) {
      expect(await orderOf(s, sale.orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
      expect(await reportOf(s, sale.orderId, sale.card.cardId)).toMatchObject({
        decision: 'refunded',
        settlement: { outcome: 'refund' },
        sellerPenalty: EUR(450),
      });
      expect(await buyerOf(s, sale.buyerId)).toMatchObject({ upheld: 1, rejected: 0 });
    }
    const trail = (await s.get(`/v1/sellers/${sellerId}/events`)).body.events;
    expect(trail.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['seller.review_opened', 'seller.review_closed', 'seller.suspended']),
    );
    // A second decision on a closed review is refused and changes nothing.
    const again = await s.post(`/v1/sellers/${sellerId}/review`, {
      outcome: 'cleared',
      note: 'changed my mind',
      decidedBy: 'desk-2',
    });
    expectProblem(again, 409, 'invalid-state');
  });

  it('refunds the earlier buyer too when the review ends in suspension before its reopening ran', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const first = await aSale(s, listingId);
    expect(await redeemedAfterRevealAndReported(s, first)).toMatchObject({ decision: 'rejected' });
    // The process answering the second report dies right after its commit: the review is open,
    // the reopening of the first report is left to the sweeper, and has not run yet.
    const { reviews } = s.vault;
    const reconcileSafely = reviews.reconcileSafely;
    reviews.reconcileSafely = async () => {};
    const second = await aSale(s, listingId);
    try {
      expect(await redeemedAfterRevealAndReported(s, second)).toMatchObject({ decision: 'escalated' });
    } finally {
      reviews.reconcileSafely = reconcileSafely;
    }
    expect(await reportOf(s, first.orderId, first.card.cardId)).toMatchObject({ decision: 'rejected' });

    const suspended = await s.post(`/v1/sellers/${sellerId}/review`, {
      outcome: 'suspended',
      note: 'two buyers, the same pattern',
      decidedBy: 'desk-4',
    });
    expect(suspended.status, suspended.text).toBe(200);
    await s.vault.sweeper.sweep();

    for (const sale of [first, second]) {
      expect(await orderOf(s, sale.orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
      expect(await reportOf(s, sale.orderId, sale.card.cardId)).toMatchObject({
        decision: 'refunded',
        settlement: { outcome: 'refund' },
      });
    }
    expect(await buyerOf(s, first.buyerId)).toMatchObject({ upheld: 1, rejected: 0 });
  });

  it('counts two buyers reporting at the same moment as two: the review opens and both are held', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const sales = [await aSale(s, listingId), await aSale(s, listingId)];
    for (const sale of sales) await redeemAtTime(s, sale.card.code, Date.parse(sale.revealedAt) + 300_000);

    const answers = await Promise.all(
      sales.map((sale) => report(s, sale.orderId, sale.buyerId, sale.card.cardId)),
    );

    for (const res of answers) expect(res.status, res.text).toBe(201);
    expect(answers.map((r) => r.body.decision).sort()).toEqual(['escalated', 'rejected']);
    expect((await sellerOf(s, sellerId)).review).toMatchObject({ status: 'under_review', buyers: 2 });
    for (const sale of sales) {
      expect(await reportOf(s, sale.orderId, sale.card.cardId)).toMatchObject({
        status: 'open',
        escalation: { reason: 'seller_suspected' },
      });
    }
  });

  it('counts one buyer once: the same buyer twice never puts a seller under review', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const buyerId = unique('buyer');
    for (let i = 0; i < 2; i++) {
      const [card] = await depositFresh(s, listingId, 1);
      const { order, orderId } = await anOrder(s, listingId, buyerId);
      await pay(s, order);
      const revealed = await reveal(s, orderId, buyerId);
      await redeemAtTime(s, card?.code as string, Date.parse(revealed.body.revealedAt) + 300_000);
      expect((await report(s, orderId, buyerId, card?.cardId as string)).body.decision).toBe('rejected');
    }
    expect((await sellerOf(s, sellerId)).review).toBeUndefined();
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 2 });
  });

  it("rejects a credit-poor buyer's escalation at its deadline: the money goes to the seller", async () => {
    const s = stack.current;
    const buyerId = unique('serial-reporter');
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const saleTo = async () => {
      const [card] = await depositFresh(s, listingId, 1);
      const { order, orderId } = await anOrder(s, listingId, buyerId);
      await pay(s, order);
      expect((await reveal(s, orderId, buyerId)).status).toBe(200);
      return { orderId, card: card as { code: string; cardId: string } };
    };
    // Three reports on codes that work: three rejections.
    for (let i = 0; i < 3; i++) {
      const sale = await saleTo();
      expect((await report(s, sale.orderId, buyerId, sale.card.cardId)).body.decision).toBe('rejected');
    }
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 3, creditPoor: true });
    const fourth = await saleTo();
    await redeemWithoutTime(s, fourth.card.code);
    const escalated = await report(s, fourth.orderId, buyerId, fourth.card.cardId);
    expect(escalated.body).toMatchObject({
      decision: 'escalated',
      escalation: { reason: 'buyer_credit_poor' },
    });

    s.clock.advance(DEADLINE + 1);
    await s.vault.sweeper.sweep();
    await s.vault.sweeper.sweep();

    expect(await reportOf(s, fourth.orderId, fourth.card.cardId)).toMatchObject({
      decision: 'rejected_unproven',
      status: 'closed',
      settlement: { outcome: 'default_reject', by: 'sweeper' },
    });
    expect(await orderOf(s, fourth.orderId)).toMatchObject({ state: 'released', refunded: EUR(0) });
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 4, upheld: 0 });
    expect(await sellerOf(s, sellerId)).toMatchObject({
      strikes: 0,
      balance: { EUR: { held: 0, available: 4 * 4500 } },
    });
  });

  it("keeps a suspected seller's escalations open past their deadline while the review is open: a slow desk refunds no colluding buyer", async () => {
    const s = stack.current;
    const { sellerId, first, second } = await aSellerUnderReview(s);
    const deadlineBefore = (await reportOf(s, second.orderId, second.card.cardId))?.escalation?.deadline;

    s.clock.advance(DEADLINE + 1);
    await s.vault.sweeper.sweep();
    await s.vault.sweeper.sweep();

    // Nothing is refunded to buyers who may have redeemed the codes themselves; each deadline moved on.
    for (const sale of [first, second]) {
      const held = await reportOf(s, sale.orderId, sale.card.cardId);
      expect(held).toMatchObject({
        decision: 'escalated',
        status: 'open',
        escalation: { reason: 'seller_suspected' },
      });
      expect(Date.parse(held?.escalation?.deadline ?? '')).toBeGreaterThan(s.clock.now().getTime());
      expect(await orderOf(s, sale.orderId)).toMatchObject({ refunded: EUR(0) });
    }
    expect(deadlineBefore).toBeDefined();
    expect((await sellerOf(s, sellerId)).review).toMatchObject({ status: 'under_review' });

    // The desk clears the seller at last: both buyers' reports are rejected, as a prompt desk would.
    const cleared = await s.post(`/v1/sellers/${sellerId}/review`, {
      outcome: 'cleared',
      note: 'issuer logs show the buyers redeemed them',
      decidedBy: 'desk-3',
    });
    expect(cleared.status, cleared.text).toBe(200);
    for (const sale of [first, second]) {
      expect(await reportOf(s, sale.orderId, sale.card.cardId)).toMatchObject({
        decision: 'rejected',
        settlement: { outcome: 'reject', by: 'vault' },
      });
    }
  });

  it('lists escalations with both parties’ records', async () => {
    const s = stack.current;
    const { sellerId, first, second } = await aSellerUnderReview(s);
    const res = await s.get('/v1/escalations?limit=100');
    expect(res.status, res.text).toBe(200);
    const mine = res.body.escalations.filter((e: { orderId: string }) =>
      [first.orderId, second.orderId].includes(e.orderId),
    );
    expect(mine).toHaveLength(2);
    for (const e of mine) {
      expect(e.buyerRecord).toEqual({
        reportsTotal: 1,
        upheldTotal: 0,
        rejectedIn90Days: 0,
        unprovenIn90Days: 0,
        creditPoor: false,
      });
      expect(e.sellerRecord).toMatchObject({
        sellerId,
        status: 'active',
        strikes: 0,
        usedAfterRevealBuyers: 2,
        review: 'under_review',
        reviewSince: expect.any(String),
      });
    }

    // Settling answers the report with both records too, as they stand after the decision.
    const settled = await s.post(`/v1/escalations/${mine[0].reportId}/settle`, {
      outcome: 'refund_without_penalty',
      note: 'cannot tell who redeemed it',
      decidedBy: 'desk-3',
    });
    expect(settled.status, settled.text).toBe(200);
    expect(settled.body).toMatchObject({
      reportId: mine[0].reportId,
      status: 'closed',
      buyerRecord: { reportsTotal: 1, upheldTotal: 1, rejectedIn90Days: 0, creditPoor: false },
      sellerRecord: { sellerId, strikes: 0, usedAfterRevealBuyers: 2, review: 'under_review' },
    });
  });

  it('closes a review from the operator CLI as from the route: cleared, on the trail by the operator', async () => {
    const s = stack.current;
    const { sellerId, first, second } = await aSellerUnderReview(s);

    const run = await runAdminCli(
      { endpoint: s.dynamodbEndpoint, tableName: s.tableName },
      ...['seller', 'review', s.devTenantId, sellerId, 'cleared', '--note', 'issuer logs', '--by', 'ops-9'],
    );

    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`review of seller ${sellerId}`);
    expect((await sellerOf(s, sellerId)).review).toBeUndefined();
    const trail = (await s.get(`/v1/sellers/${sellerId}/events`)).body.events;
    // The CLI dates its event by the real clock, the stack by the test clock: found, not last.
    expect(trail).toContainEqual(
      expect.objectContaining({
        type: 'seller.review_closed',
        by: 'ops-9',
        data: expect.objectContaining({ outcome: 'cleared' }),
      }),
    );
    for (const sale of [first, second]) {
      expect(await reportOf(s, sale.orderId, sale.card.cardId)).toMatchObject({ decision: 'rejected' });
    }
  }, 60_000);
});
