import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIN_TRIES } from '../../shared/domain/link.js';
import { subjectOf } from '../../shared/domain/webhook-delivery.js';
import { type WebhookEvent, webhookEventsOf, webhookEventTypes } from '../../shared/domain/webhook-event.js';
import { verifyWebhook } from '../../shared/webhooks/verify-webhook.js';
import {
  codeOfCard,
  eventsOf,
  expectProblem,
  findCodes,
  issuerOutage,
  redeemAtIssuer,
  redeemAtTime,
  report,
} from '../support/fraud-helpers.js';
import { createRevealLink, getPage, nonceOf, postForm } from '../support/link-pages.js';
import {
  aListing,
  anOrder,
  aTenantOn,
  depositFresh,
  mintCode,
  pay,
  reveal,
  unique,
} from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';
import { eventually, startReceiver } from '../support/webhook-receiver.js';

// Webhooks delivered as `npm start` does (DynamoDB Local's stream, the fan-out, the dispatcher).
const stack = useTestStack(
  { WEBHOOK_DISPATCH_INTERVAL_MS: '50', WEBHOOK_ENDPOINT_CACHE_SECONDS: '0' },
  { webhooks: true },
);
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

/** A tenant of its own (its endpoint hears only this test's changes), and the stack calling as it. */
const aTenant = () => aTenantOn(stack.current);

const nowSeconds = () => Math.floor(stack.current.clock.now().getTime() / 1000);
const decision = { note: 'checked with the shop', decidedBy: 'agent-1' };

describe('webhook delivery of every event type', () => {
  it('delivers every type of the vocabulary to a real receiver, signed, each order and seller in order, no code in any', async () => {
    const { tenantId, as } = await aTenant();
    const registered = await as.post('/v1/webhook-endpoints', {
      url: receiver.url('/all'),
      eventTypes: ['*'],
    });
    expect(registered.status, registered.text).toBe(201);
    const secret = registered.body.secret as string;
    const codes: string[] = [];
    const orderIds: string[] = [];
    const order = async (listingId: string, quantity = 1) => {
      const placed = await anOrder(as, listingId, unique('buyer'), quantity);
      orderIds.push(placed.orderId);
      return placed;
    };

    // Seller 1. First an unpaid order past its payment time, expired when it is read. The clock
    // moves once its placement has arrived, so every later event is signed on the moved clock.
    const one = await aListing(as);
    codes.push(...(await depositFresh(as, one.listingId, 4)).map((c) => c.code));
    const lapsed = await order(one.listingId);
    const placedAt = await eventually('the placement', () =>
      receiver.received('/all').length > 0 ? nowSeconds() : undefined,
    );
    as.clock.advance(901);
    expect((await as.get(`/v1/orders/${lapsed.orderId}`)).body.state).toBe('expired');

    // A sale the buyer confirms (placed, paid, revealed, confirmed, released).
    const sale = await order(one.listingId);
    await pay(as, sale.order);
    expect((await reveal(as, sale.orderId, sale.buyerId)).status).toBe(200);
    expect((await as.post(`/v1/orders/${sale.orderId}/confirm`, { buyerId: sale.buyerId })).status).toBe(200);

    // A payment of the wrong amount (refund due), then the order cancelled.
    const unpaid = await order(one.listingId);
    const wrong = await as.post(`/v1/orders/${unpaid.orderId}/payment`, {
      paymentRef: unique('pay'),
      amount: { ...unpaid.order.amount, amount: unpaid.order.amount.amount - 1 },
    });
    expectProblem(wrong, 422, 'amount-mismatch');
    expect((await as.post(`/v1/orders/${unpaid.orderId}/cancel`)).status).toBe(200);

    // A PIN reveal link locked by five wrong PINs (issue 20): `link.locked`, naming the link.
    const pinned = await order(one.listingId);
    await pay(as, pinned.order);
    const pinLink = await createRevealLink(as, pinned.orderId, pinned.buyerId, { confirm: 'pin' });
    const pinNonce = nonceOf((await getPage(as, pinLink.path)).html);
    for (let i = 0; i < PIN_TRIES; i++) {
      const wrongPin = String((Number(pinLink.pin) + 1 + i) % 1_000_000).padStart(6, '0');
      await postForm(as, `${pinLink.path}/reveal`, { nonce: pinNonce, pin: wrongPin });
    }

    // A report escalated (redeemed within the race window), settled by the dispute desk.
    const raced = await order(one.listingId);
    await pay(as, raced.order);
    const racedReveal = await reveal(as, raced.orderId, raced.buyerId);
    const racedCard = raced.order.cards[0].cardId as string;
    const racedCode = racedReveal.body.cards[0].code as string;
    await redeemAtTime(as, racedCode, Date.parse(racedReveal.body.revealedAt) + 10_000);
    const escalated = await report(as, raced.orderId, raced.buyerId, racedCard);
    expect(escalated.body.decision, escalated.text).toBe('escalated');
    const settled = await as.post(`/v1/escalations/${escalated.body.reportId}/settle`, {
      outcome: 'reject',
      ...decision,
    });
    expect(settled.status, settled.text).toBe(200);

    // A deposit left pending while the issuer was down, settled when it is deposited again.
    const late = await mintCode(as);
    codes.push(late.code);
    await issuerOutage(as, true);
    try {
      const pending = await as.post(`/v1/listings/${one.listingId}/cards`, { cards: [{ code: late.code }] });
      expect(pending.body.results[0].outcome, pending.text).toBe('pending');
    } finally {
      await issuerOutage(as, false);
    }
    const again = await as.post(`/v1/listings/${one.listingId}/cards`, { cards: [{ code: late.code }] });
    expect(again.body.results[0].outcome, again.text).toBe('accepted');

    // Seller 2: an upheld report (decided, refunded, a strike), then two dead codes found before
    // the reveal (refunded, two strikes: the third suspends), then a reinstatement.
    const two = await aListing(as);
    const twoCards = await depositFresh(as, two.listingId, 3);
    codes.push(...twoCards.map((c) => c.code));
    const upheld = await order(two.listingId);
    await pay(as, upheld.order);
    const upheldReveal = await reveal(as, upheld.orderId, upheld.buyerId);
    const upheldCard = upheld.order.cards[0].cardId as string;
    await redeemAtTime(
      as,
      codeOfCard(twoCards, upheldCard),
      Date.parse(upheldReveal.body.revealedAt) - 60_000,
    );
    expect((await report(as, upheld.orderId, upheld.buyerId, upheldCard)).body.decision).toBe('refunded');
    const dead = await order(two.listingId, 2);
    for (const c of dead.order.cards as { cardId: string }[])
      await redeemAtIssuer(as, codeOfCard(twoCards, c.cardId));
    await pay(as, dead.order);
    expectProblem(await reveal(as, dead.orderId, dead.buyerId), 409, 'code-already-redeemed');
    expect((await as.get(`/v1/sellers/${two.sellerId}`)).body.status).toBe('suspended');
    const reinstated = await as.post(`/v1/sellers/${two.sellerId}/reinstate`, decision);
    expect(reinstated.status, reinstated.text).toBe(200);

    // Seller 3: two buyers whose codes the seller redeemed 5 minutes after each reveal put the
    // seller under review; the desk clears it.
    const three = await aListing(as);
    const threeCards = await depositFresh(as, three.listingId, 2);
    codes.push(...threeCards.map((c) => c.code));
    for (let i = 0; i < 2; i++) {
      const kept = await order(three.listingId);
      await pay(as, kept.order);
      const keptReveal = await reveal(as, kept.orderId, kept.buyerId);
      const keptCard = kept.order.cards[0].cardId as string;
      await redeemAtTime(
        as,
        codeOfCard(threeCards, keptCard),
        Date.parse(keptReveal.body.revealedAt) + 300_000,
      );
      expect((await report(as, kept.orderId, kept.buyerId, keptCard)).status).toBe(201);
    }
    expect((await as.get(`/v1/sellers/${three.sellerId}`)).body.review).toBeDefined();
    const cleared = await as.post(`/v1/sellers/${three.sellerId}/review`, {
      outcome: 'cleared',
      ...decision,
    });
    expect(cleared.status, cleared.text).toBe(200);

    // Seller 4: codes the issuer never issued spend the budget of rejected codes (issue 19): the
    // seller's deposits are locked, then an operator unlocks them.
    const four = await aListing(as);
    const guesses = Array.from({ length: 20 }, (_, i) => ({
      code: `DEMOGUESS${String(i).padStart(7, '0')}`,
    }));
    const guessed = await as.post(`/v1/listings/${four.listingId}/cards`, { cards: guesses });
    expect(guessed.status, guessed.text).toBe(200);
    expect((await as.get(`/v1/sellers/${four.sellerId}`)).body.deposits.locked).toBe(true);
    const unlocked = await as.post(`/v1/sellers/${four.sellerId}/unlock-deposits`, decision);
    expect(unlocked.status, unlocked.text).toBe(200);

    // What each order's trail publishes (seller lines go out from the seller's own trail).
    const expected = new Map<string, string[]>();
    for (const orderId of orderIds) {
      const lines = (await eventsOf(as, orderId)).filter((e) => !String(e.type).startsWith('seller.'));
      expected.set(
        `order:${orderId}`,
        lines.flatMap((line) => webhookEventsOf(tenantId, { ...line, orderId }).map((e) => e.id)),
      );
    }
    const arrived = () =>
      receiver.received('/all').map((r) => ({ r, event: JSON.parse(r.body) as WebhookEvent }));
    const all = await eventually(
      'every type, and every event of every order',
      () => {
        const got = arrived();
        const types = new Set(got.map((g) => g.event.type));
        const ids = new Set(got.map((g) => g.event.id));
        const complete = [...expected.values()].every((list) => list.every((id) => ids.has(id)));
        return complete && webhookEventTypes.every((t) => types.has(t)) ? got : undefined;
      },
      30_000,
    ).catch(() => arrived()); // what did arrive, so the assertions below name what is missing

    // The received set is the declared vocabulary, whole: a new type nobody delivers fails here.
    expect(new Set(all.map((g) => g.event.type))).toEqual(new Set(webhookEventTypes));
    for (const [i, { r, event }] of all.entries()) {
      const at = i === 0 ? placedAt : nowSeconds();
      expect(verifyWebhook(r.body, r.signature, secret, 300, at)).toEqual(event);
      expect(event.tenant).toBe(tenantId);
    }
    // In order per order (and per seller): each subject's events arrive in id order, which for an
    // order is its trail's order, every published line of it there.
    const bySubject = new Map<string, string[]>();
    for (const { event } of all) {
      const subject = subjectOf(event) as string;
      const seen = bySubject.get(subject) ?? [];
      if (!seen.includes(event.id)) bySubject.set(subject, [...seen, event.id]);
    }
    for (const [subject, ids] of bySubject) expect(ids, subject).toEqual([...ids].sort());
    for (const [subject, ids] of expected) expect(bySubject.get(subject), subject).toEqual(ids);
    // The seller's strikes arrive before the suspension they caused, then the reinstatement.
    const sellerTypes = all
      .filter((g) => subjectOf(g.event) === `seller:${two.sellerId}` && g.event.type.startsWith('seller.'))
      .map((g) => g.event.type);
    expect(sellerTypes).toEqual([
      'seller.penalised',
      'seller.penalised',
      'seller.penalised',
      'seller.suspended',
      'seller.reinstated',
    ]);
    const lockTypes = all
      .filter((g) => subjectOf(g.event) === `seller:${four.sellerId}`)
      .map((g) => g.event.type);
    expect(lockTypes).toEqual(['seller.deposits_locked', 'seller.deposits_unlocked']);
    const settledCard = all.find((g) => g.event.type === 'card.deposit_settled')?.event;
    expect(settledCard?.data).toMatchObject({
      sellerId: one.sellerId,
      from: 'pending_validation',
      to: 'available',
      details: { listingId: one.listingId, outcome: 'accepted', cardId: again.body.results[0].cardId },
    });

    const bodies = all.map((g) => g.r.body).join('\n');
    // The search would see a code as typed, without its dashes, or lower-cased (the shared leak search).
    const sample = codes[0] as string;
    for (const copy of [sample, sample.replace(/-/g, ''), sample.toLowerCase()]) {
      expect(findCodes(`${bodies}${copy}`, codes)).toEqual([sample]);
    }
    expect(findCodes(bodies, codes)).toEqual([]);
    expect(bodies).not.toMatch(/ciphertext|fingerprint|"pin"|"code"/i);
  }, 90_000);
});
