import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../shared/adapters/metrics/emf-metrics.js';
import { gaugeNames } from '../../shared/ports/metrics.js';
import { emfViolations } from '../support/emf-spec.js';
import {
  aRevealedOrder,
  deposit,
  findCodes,
  issuerOutage,
  orderOf,
  redeemAtIssuer,
  redeemAtTime,
  report,
} from '../support/fraud-helpers.js';
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
import { startTestStack, type TestStack } from '../support/test-stack.js';
import { eventually, startReceiver } from '../support/webhook-receiver.js';

/** The default of ESCALATION_DEADLINE_SECONDS. */
const ESCALATION_DEADLINE_SECONDS = 604_800;

/** A sale, a dead-code refund, an upheld report and an escalated one: the counts they must emit, once each. */
describe('business metrics', () => {
  let s: TestStack;
  const emfLines: string[] = [];
  const emf = new EmfMetrics({ stage: 'test', write: (line) => emfLines.push(line) });
  beforeAll(async () => {
    s = await startTestStack({}, { metrics: emf });
  });
  afterAll(() => s?.stop());

  it('counts a sale, a dead-code refund and reports once each, replays and retries included', async () => {
    const { listingId } = await aListing(s);
    const cards = await depositFresh(s, listingId, 3);

    // Sale 1: placed (replayed with its key), paid (replayed with its reference), revealed.
    const placed = await s.post(
      '/v1/orders',
      { listingId, buyerId: 'b1', quantity: 1 },
      { 'idempotency-key': 'm-1' },
    );
    expect(placed.status, placed.text).toBe(201);
    const replay = await s.post(
      '/v1/orders',
      { listingId, buyerId: 'b1', quantity: 1 },
      { 'idempotency-key': 'm-1' },
    );
    expect(replay.body.orderId).toBe(placed.body.orderId);
    await pay(s, placed.body, 'pay-m-1');
    await pay(s, placed.body, 'pay-m-1');
    const revealed = await reveal(s, placed.body.orderId, 'b1', 'rv-m-1');
    expect(revealed.status, revealed.text).toBe(200);
    const sold = revealed.body.cards[0];

    // Sale 2: the code is redeemed before the reveal, so the order is refunded (F7).
    const dead = await anOrder(s, listingId);
    await pay(s, dead.order);
    const deadCode = cards.find((c) => c.cardId === dead.order.cards[0].cardId)?.code as string;
    await redeemAtIssuer(s, deadCode);
    const refused = await reveal(s, dead.orderId, dead.buyerId);
    expect(refused.status, refused.text).toBe(409);

    // Sale 1's code turns out redeemed before its reveal: the report is upheld.
    await redeemAtTime(s, sold.code, Date.parse(revealed.body.revealedAt) - 60_000);
    const upheld = await report(s, placed.body.orderId, 'b1', sold.cardId);
    expect(upheld.body.decision, upheld.text).toBe('refunded');

    // Sale 3: revealed, then reported while the issuer is down: escalated.
    const third = await anOrder(s, listingId);
    await pay(s, third.order);
    expect((await reveal(s, third.orderId, third.buyerId)).status).toBe(200);
    await issuerOutage(s, true);
    try {
      const escalated = await report(s, third.orderId, third.buyerId, third.order.cards[0].cardId);
      expect(escalated.body.decision, escalated.text).toBe('escalated');
      // The sweeper measures the open escalation, an hour old (the issuer still down, so the
      // local recheck in the same sweep cannot close it).
      s.clock.advance(3600);
      await s.vault.sweeper.sweep();
    } finally {
      await issuerOutage(s, false);
    }

    expect(s.metrics.totals()).toEqual({
      'Deposits{Outcome=accepted}': 3,
      OrdersPlaced: 3,
      Payments: 3,
      Reveals: 2,
      'Refunds{Reason=code_dead_before_reveal}': 1,
      'Refunds{Reason=report_upheld}': 1,
      Strikes: 2,
      'Reports{Decision=refunded}': 1,
      'Reports{Decision=escalated}': 1,
      OpenEscalations: 1,
      OldestEscalationAge: expect.any(Number),
    });
    expect(s.metrics.totals().OldestEscalationAge).toBeGreaterThanOrEqual(3600);

    // Locally the figures are one `metrics` log line; in Lambda, EMF documents that satisfy the spec.
    s.metrics.flush();
    const line = s.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'metrics');
    expect(line?.metrics).toMatchObject({ Payments: 3, 'Refunds{Reason=report_upheld}': 1 });
    emf.flush();
    const documents = emfLines.map((l) => JSON.parse(l));
    expect(documents.length).toBeGreaterThan(0);
    for (const doc of documents) expect(emfViolations(doc)).toEqual([]);

    // The leak search: no code in any EMF document or the metrics log line.
    const codes = [...cards.map((c) => c.code), sold.code];
    expect(findCodes(emfLines.join('\n'), codes)).toEqual([]);
    expect(findCodes(JSON.stringify(line), codes)).toEqual([]);
  });
});

/** What a scenario added to the stack's counts (gauges are levels, left out): the series that moved, by how much. */
function added(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .filter(([name]) => !(gaugeNames as readonly string[]).includes(name))
      .map(([name, value]) => [name, value - (before[name] ?? 0)] as const)
      .filter(([, value]) => value !== 0),
  );
}

/** Suspensions, refused deposits, the other two refund reasons and webhook deliveries by outcome. */
describe('business metrics, the rest of the vocabulary', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack(
      {
        WEBHOOK_RETRY_BASE_SECONDS: '0.2',
        WEBHOOK_GIVE_UP_SECONDS: '2',
        WEBHOOK_ENDPOINT_CACHE_SECONDS: '0',
        WEBHOOK_DISPATCH_INTERVAL_MS: '50',
        WEBHOOK_TIMEOUT_MS: '1000',
      },
      { webhooks: true },
    );
  });
  afterAll(() => s?.stop());

  it('counts refused deposits by reason', async () => {
    const { listingId } = await aListing(s);
    const redeemed = await mintCode(s);
    await redeemAtIssuer(s, redeemed.code);
    const fresh = await mintCode(s);
    const before = s.metrics.totals();
    const res = await deposit(s, listingId, [
      { code: redeemed.code },
      { code: fresh.code },
      { code: fresh.code },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.map((r: { outcome: string; reason?: string }) => [r.outcome, r.reason])).toEqual([
      ['rejected', 'already_redeemed'],
      ['accepted', undefined],
      ['rejected', 'duplicate'],
    ]);
    expect(added(before, s.metrics.totals())).toEqual({
      'Deposits{Outcome=rejected,Reason=already_redeemed}': 1,
      'Deposits{Outcome=accepted}': 1,
      'Deposits{Outcome=rejected,Reason=duplicate}': 1,
    });
  });

  it("counts a suspension and the suspended seller's refund by reason, once each", async () => {
    const { listingId } = await aListing(s);
    const cards = await depositFresh(s, listingId, 4);
    const a = await anOrder(s, listingId, unique('buyer'), 3);
    await pay(s, a.order);
    const b = await anOrder(s, listingId);
    await pay(s, b.order);
    const taken = new Set((a.order.cards as Array<{ cardId: string }>).map((card) => card.cardId));
    for (const card of cards.filter((c) => taken.has(c.cardId))) {
      await redeemAtTime(s, card.code, s.clock.now().getTime() - 60_000);
    }
    const before = s.metrics.totals();
    // Three dead codes at the reveal: three strikes, the third suspends, B is refunded by the cascade.
    expect((await reveal(s, a.orderId, a.buyerId)).status).toBe(409);
    await s.vault.sweeper.sweep();
    expect((await orderOf(s, b.orderId)).state).toBe('refunded');
    expect(added(before, s.metrics.totals())).toEqual({
      Strikes: 3,
      Suspensions: 1,
      'Refunds{Reason=code_dead_before_reveal}': 1,
      'Refunds{Reason=seller_suspended}': 1,
    });
  });

  it('counts the refund an escalation defaults to at its deadline', async () => {
    const { orderId, buyerId, card, revealedAt } = await aRevealedOrder(s);
    // Redeemed 30 s after the reveal: inside the race window, so the report is escalated.
    await redeemAtTime(s, card.code, Date.parse(revealedAt) + 30_000);
    const escalated = await report(s, orderId, buyerId, card.cardId);
    expect(escalated.body.decision, escalated.text).toBe('escalated');
    const before = s.metrics.totals();
    s.clock.advance(ESCALATION_DEADLINE_SECONDS + 1);
    await s.vault.sweeper.sweep();
    expect((await orderOf(s, orderId)).state).toBe('refunded');
    expect(added(before, s.metrics.totals())).toEqual({ 'Refunds{Reason=escalation_default}': 1 });
  });

  it('counts webhook deliveries by outcome: delivered, retrying, failed', async () => {
    const receiver = await startReceiver();
    try {
      const { as } = await aTenantOn(s);
      const endpoint = async (path: string) => {
        const res = await as.post('/v1/webhook-endpoints', {
          url: receiver.url(path),
          eventTypes: ['order.placed'],
        });
        expect(res.status, res.text).toBe(201);
        return res.body.endpointId as string;
      };
      receiver.behave('/flaky', [500, 200]);
      receiver.behave('/dead', [500]);
      await endpoint('/ok');
      await endpoint('/flaky');
      const dead = await endpoint('/dead');
      const before = s.metrics.totals();

      const { listingId } = await aListing(as);
      await depositFresh(as, listingId, 1);
      await anOrder(as, listingId);

      // The dead endpoint is given up on after WEBHOOK_GIVE_UP_SECONDS of 500s.
      const attempts = await eventually('the dead delivery failed', async () => {
        const page = await as.get(`/v1/webhook-endpoints/${dead}/deliveries`);
        const d = page.body.deliveries?.[0];
        return d?.state === 'failed' ? (d.attempts as unknown[]).length : undefined;
      });
      // The count follows the recorded attempt: wait for it too, and for the other two deliveries.
      await eventually('the deliveries counted', () => {
        const got = added(before, s.metrics.totals());
        return got['WebhookDeliveries{Outcome=delivered}'] === 2 &&
          got['WebhookDeliveries{Outcome=failed}'] === 1
          ? true
          : undefined;
      });
      expect(attempts).toBeGreaterThan(1);
      expect(added(before, s.metrics.totals())).toMatchObject({
        'WebhookDeliveries{Outcome=delivered}': 2,
        // The flaky endpoint's first 500, and every 500 of the dead one but its last.
        'WebhookDeliveries{Outcome=retrying}': 1 + (attempts - 1),
        'WebhookDeliveries{Outcome=failed}': 1,
      });
    } finally {
      await receiver.close();
    }
  });
});
