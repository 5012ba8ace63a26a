import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../shared/adapters/metrics/emf-metrics.js';
import { emfViolations } from '../support/emf-spec.js';
import { findCodes, issuerOutage, redeemAtIssuer, redeemAtTime, report } from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

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
