import { describe, expect, it } from 'vitest';
import type { IssuerCheck } from '../../shared/domain/issuer-check.js';
import { money } from '../../shared/domain/money.js';
import { decideReport, type ReportDecisionInput } from '../../shared/domain/report-decision.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { eur, plusSeconds, T0 } from '../support/builders.js';

const RACE_WINDOW_SECONDS = defaultSettings.raceWindowSeconds;
const revealedAt = T0;

function decide(issuer: IssuerCheck | undefined, overrides: Partial<ReportDecisionInput> = {}) {
  return decideReport({
    issuer,
    revealedAt,
    raceWindowSeconds: RACE_WINDOW_SECONDS,
    buyerCreditPoor: false,
    // The rows this file covers predate these inputs: they are neutral here.
    skewSeconds: 0,
    revealSucceeded: false,
    unprovenReportsIn90Days: 0,
    sellerSuspected: false,
    ...overrides,
  });
}

const redeemed = (redeemedAt?: string): IssuerCheck => ({
  state: 'redeemed',
  ...(redeemedAt ? { redeemedAt } : {}),
});

describe('decideReport', () => {
  it('uses the documented default race window of 120 seconds', () => {
    expect(RACE_WINDOW_SECONDS).toBe(120);
  });

  it('rejects the report when the issuer says the code is active (the code works)', () => {
    expect(decide({ state: 'active' }).decision).toBe('rejected');
  });

  it('refunds when the code was redeemed before the reveal (F1, F7)', () => {
    expect(decide(redeemed(plusSeconds(revealedAt, -3600))).decision).toBe('refunded');
  });

  it('refunds when the code was redeemed one millisecond before the reveal', () => {
    expect(decide(redeemed(plusSeconds(revealedAt, -0.001))).decision).toBe('refunded');
  });

  it('refunds when the issuer does not recognise the code', () => {
    expect(decide({ state: 'invalid' }).decision).toBe('refunded');
  });

  it('rejects when the code was redeemed after the reveal, outside the race window (F5)', () => {
    expect(decide(redeemed(plusSeconds(revealedAt, 3600))).decision).toBe('rejected');
  });

  it('escalates when the code was redeemed within the race window after the reveal', () => {
    expect(decide(redeemed(plusSeconds(revealedAt, 30))).decision).toBe('escalated');
  });

  it('escalates when the code was redeemed at the very instant of the reveal', () => {
    expect(decide(redeemed(revealedAt)).decision).toBe('escalated');
  });

  it('escalates when the code was redeemed exactly at the end of the race window', () => {
    expect(decide(redeemed(plusSeconds(revealedAt, RACE_WINDOW_SECONDS))).decision).toBe('escalated');
  });

  it('rejects when the code was redeemed one millisecond after the race window', () => {
    expect(decide(redeemed(plusSeconds(revealedAt, RACE_WINDOW_SECONDS + 0.001))).decision).toBe('rejected');
  });

  it('honours a configured race window instead of the default', () => {
    const redeemedAt = plusSeconds(revealedAt, 300);
    expect(decide(redeemed(redeemedAt), { raceWindowSeconds: 600 }).decision).toBe('escalated');
    expect(decide(redeemed(redeemedAt), { raceWindowSeconds: 60 }).decision).toBe('rejected');
  });

  it('compares instants, not strings: a redemption time with another UTC offset is placed correctly', () => {
    // 02:00:30+02:00 is 30 s after the reveal at 00:00:00Z, though it sorts after it as text.
    expect(decide(redeemed('2030-01-01T02:00:30+02:00')).decision).toBe('escalated');
    // 01:59:00+02:00 is 60 s before the reveal.
    expect(decide(redeemed('2030-01-01T01:59:00+02:00')).decision).toBe('refunded');
  });

  it('refunds a redeemed code with no redemption time when the buyer credit is good', () => {
    expect(decide(redeemed(), { buyerCreditPoor: false }).decision).toBe('refunded');
  });

  it('escalates a redeemed code with no redemption time when the buyer credit is poor (F5)', () => {
    expect(decide(redeemed(), { buyerCreditPoor: true }).decision).toBe('escalated');
  });

  it('escalates when the issuer is unreachable, whatever the buyer credit', () => {
    expect(decide(undefined, { buyerCreditPoor: false }).decision).toBe('escalated');
    expect(decide(undefined, { buyerCreditPoor: true }).decision).toBe('escalated');
  });

  it.each([
    { row: 'active', issuer: { state: 'active' } as IssuerCheck, decision: 'rejected' },
    { row: 'redeemed before reveal', issuer: redeemed(plusSeconds(revealedAt, -60)), decision: 'refunded' },
    { row: 'invalid', issuer: { state: 'invalid' } as IssuerCheck, decision: 'refunded' },
    { row: 'redeemed in race window', issuer: redeemed(plusSeconds(revealedAt, 60)), decision: 'escalated' },
    {
      row: 'redeemed long after reveal',
      issuer: redeemed(plusSeconds(revealedAt, 600)),
      decision: 'rejected',
    },
  ])('lets buyer credit change nothing on the "$row" row', ({ issuer, decision }) => {
    expect(decide(issuer, { buyerCreditPoor: true }).decision).toBe(decision);
    expect(decide(issuer, { buyerCreditPoor: false }).decision).toBe(decision);
  });

  describe('with the evidence issue 7 adds (skew, balance at reveal)', () => {
    const full = { skewSeconds: 30, revealSucceeded: true, unprovenReportsIn90Days: 0 };

    it('escalates a redemption 30 s before the reveal and refunds one 31 s before (skew, to the second)', () => {
      expect(decide(redeemed(plusSeconds(revealedAt, -30)), full)).toMatchObject({
        decision: 'escalated',
        escalationReason: 'race_window',
      });
      expect(decide(redeemed(plusSeconds(revealedAt, -31)), full).decision).toBe('refunded');
    });

    it('rejects as working an active card with more balance than at the reveal (a top-up)', () => {
      const result = decide({ state: 'active', balance: eur(6000) }, { ...full, balanceAtReveal: eur(5000) });
      expect(result.decision).toBe('rejected');
      expect(result.rationale).toMatch(/it works/);
    });

    it('does not call a balance in another currency spent: it is not comparable', () => {
      const result = decide(
        { state: 'active', balance: money(100, 'USD') },
        { ...full, balanceAtReveal: eur(5000) },
      );
      expect(result.rationale).toMatch(/it works/);
    });

    it('rejects as working an active card when no balance was kept at the reveal', () => {
      expect(decide({ state: 'active', balance: eur(10) }, full).rationale).toMatch(/it works/);
    });

    it('weighs poor credit before the no-time history', () => {
      expect(
        decide(redeemed(), { ...full, buyerCreditPoor: true, unprovenReportsIn90Days: 2 }),
      ).toMatchObject({
        escalationReason: 'buyer_credit_poor',
      });
    });
  });

  it('gives a rationale in words for every decision', () => {
    const inputs: Array<IssuerCheck | undefined> = [
      undefined,
      { state: 'active' },
      { state: 'invalid' },
      redeemed(),
      redeemed(plusSeconds(revealedAt, -60)),
      redeemed(plusSeconds(revealedAt, 60)),
      redeemed(plusSeconds(revealedAt, 600)),
    ];
    for (const issuer of inputs) {
      expect(decide(issuer).rationale.trim().length).toBeGreaterThan(10);
    }
  });
});
