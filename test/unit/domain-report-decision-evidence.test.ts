import { describe, expect, it } from 'vitest';
import type { IssuerCheck } from '../../shared/domain/issuer-check.js';
import { decideReport } from '../../shared/domain/report-decision.js';
import { eur, plusSeconds, T0 } from '../support/builders.js';

/**
 * The rows issue 7 adds to the decision table. The input this expects beside today's fields:
 * `skewSeconds` (ISSUER_CLOCK_SKEW_SECONDS), `balanceAtReveal` (the issuer's balance seen at the
 * reveal re-check, absent when unknown), `revealSucceeded` (the issuer confirmed the code active
 * at the reveal) and `unprovenReportsIn90Days` (the buyer's earlier reports upheld without a
 * redemption time). An escalation names its `escalationReason`.
 */
const SKEW_SECONDS = 30;
const RACE_WINDOW_SECONDS = 120;
const revealedAt = T0;

type Input = {
  issuer: IssuerCheck | undefined;
  buyerCreditPoor?: boolean;
  unprovenReportsIn90Days?: number;
  balanceAtReveal?: { amount: number; currency: string };
  revealSucceeded?: boolean;
  skewSeconds?: number;
  sellerSuspected?: boolean;
};

function decide(input: Input): {
  decision: string;
  rationale: string;
  escalationReason?: string;
  usedAfterReveal?: true;
  unproven?: true;
} {
  // The new fields are not in today's input type: the call is typed loosely on purpose.
  const decideWithEvidence = decideReport as unknown as (
    input: Record<string, unknown>,
  ) => ReturnType<typeof decide>;
  return decideWithEvidence({
    revealedAt,
    raceWindowSeconds: RACE_WINDOW_SECONDS,
    skewSeconds: SKEW_SECONDS,
    buyerCreditPoor: false,
    unprovenReportsIn90Days: 0,
    revealSucceeded: true,
    balanceAtReveal: eur(5000),
    sellerSuspected: false,
    ...input,
  });
}

const redeemed = (redeemedAt?: string): IssuerCheck => ({
  state: 'redeemed',
  balance: eur(0),
  ...(redeemedAt ? { redeemedAt } : {}),
});
const active = (amount: number): IssuerCheck => ({ state: 'active', balance: eur(amount) });
const spentAt = (amount: number, lastUsedAt: string): IssuerCheck => ({ ...active(amount), lastUsedAt });

describe('decideReport: evidence rows of issue 7', () => {
  it('escalates with reason issuer_unavailable when the issuer cannot be reached', () => {
    expect(decide({ issuer: undefined })).toMatchObject({
      decision: 'escalated',
      escalationReason: 'issuer_unavailable',
    });
  });

  describe('balance', () => {
    it('rejects when the card is active with the full balance seen at reveal (it works)', () => {
      const result = decide({ issuer: active(5000) });
      expect(result.decision).toBe('rejected');
      expect(result.escalationReason).toBeUndefined();
    });

    it('rejects a card spent down after the race window, saying it was spent after the reveal', () => {
      const later = plusSeconds(revealedAt, RACE_WINDOW_SECONDS + 300);
      const result = decide({ issuer: spentAt(3000, later), balanceAtReveal: eur(5000) });
      expect(result.decision).toBe('rejected');
      expect(result.rationale).toMatch(/spent after the reveal/i);
      expect(result.rationale).not.toBe(decide({ issuer: active(5000) }).rationale);
    });

    it('rejects a card spent down by one minor unit one millisecond after the race window', () => {
      const later = plusSeconds(revealedAt, RACE_WINDOW_SECONDS + 0.001);
      const result = decide({ issuer: spentAt(4999, later), balanceAtReveal: eur(5000) });
      expect(result.decision).toBe('rejected');
      expect(result.rationale).toMatch(/spent/i);
    });
  });

  describe('issuer clock skew', () => {
    it.each([
      { label: 'at the reveal', offset: 0 },
      { label: '10 s before the reveal', offset: -10 },
      { label: 'exactly the skew before the reveal', offset: -SKEW_SECONDS },
      { label: 'within the race window after the reveal', offset: RACE_WINDOW_SECONDS },
    ])('escalates (race_window) a redemption $label', ({ offset }) => {
      expect(decide({ issuer: redeemed(plusSeconds(revealedAt, offset)) })).toMatchObject({
        decision: 'escalated',
        escalationReason: 'race_window',
      });
    });

    it('refunds a redemption one millisecond earlier than the reveal minus the skew', () => {
      const result = decide({ issuer: redeemed(plusSeconds(revealedAt, -SKEW_SECONDS - 0.001)) });
      expect(result.decision).toBe('refunded');
      expect(result.escalationReason).toBeUndefined();
    });

    it('refunds a redemption 60 s before the reveal', () => {
      expect(decide({ issuer: redeemed(plusSeconds(revealedAt, -60)) }).decision).toBe('refunded');
    });

    it('honours a configured skew', () => {
      const at = plusSeconds(revealedAt, -90);
      expect(decide({ issuer: redeemed(at), skewSeconds: 120 }).decision).toBe('escalated');
      expect(decide({ issuer: redeemed(at), skewSeconds: 60 }).decision).toBe('refunded');
    });

    it('still rejects a redemption after the race window', () => {
      const result = decide({ issuer: redeemed(plusSeconds(revealedAt, RACE_WINDOW_SECONDS + 0.001)) });
      expect(result.decision).toBe('rejected');
    });
  });

  describe('redeemed with no time', () => {
    it("refunds the buyer's first such report in 90 days", () => {
      expect(decide({ issuer: redeemed(), unprovenReportsIn90Days: 0 }).decision).toBe('refunded');
    });

    it('escalates (unproven_history) from the second such report in 90 days', () => {
      for (const earlier of [1, 2, 5]) {
        expect(decide({ issuer: redeemed(), unprovenReportsIn90Days: earlier })).toMatchObject({
          decision: 'escalated',
          escalationReason: 'unproven_history',
        });
      }
    });

    it('escalates (buyer_credit_poor) when the buyer has 3+ rejected reports', () => {
      expect(decide({ issuer: redeemed(), buyerCreditPoor: true })).toMatchObject({
        decision: 'escalated',
        escalationReason: 'buyer_credit_poor',
      });
    });

    it('lets the no-time history change nothing when the issuer gives a time', () => {
      const before = redeemed(plusSeconds(revealedAt, -3600));
      expect(decide({ issuer: before, unprovenReportsIn90Days: 4 }).decision).toBe('refunded');
    });
  });

  describe('invalid', () => {
    it('escalates (invalid_after_reveal) a code the issuer confirmed at reveal and now does not know', () => {
      expect(decide({ issuer: { state: 'invalid' }, revealSucceeded: true })).toMatchObject({
        decision: 'escalated',
        escalationReason: 'invalid_after_reveal',
      });
    });

    it('refunds an invalid code the issuer never confirmed at reveal', () => {
      const result = decide({ issuer: { state: 'invalid' }, revealSucceeded: false });
      expect(result.decision).toBe('refunded');
    });
  });

  it('gives a reason for every escalation and a rationale in words for every row', () => {
    const inputs: Input[] = [
      { issuer: undefined },
      { issuer: active(3000) },
      { issuer: redeemed(plusSeconds(revealedAt, -10)) },
      { issuer: redeemed(), unprovenReportsIn90Days: 1 },
      { issuer: { state: 'invalid' } },
    ];
    for (const input of inputs) {
      const result = decide(input);
      expect(result.rationale.trim().length).toBeGreaterThan(10);
      if (result.decision === 'escalated') expect(result.escalationReason).toEqual(expect.any(String));
    }
  });
});

describe('decideReport: uses after the reveal (issue 17)', () => {
  const spent = (seconds: number): IssuerCheck => ({
    state: 'active',
    balance: eur(1),
    lastUsedAt: plusSeconds(revealedAt, seconds),
  });

  it('refunds a balance drop dated before the reveal, beyond the clock skew', () => {
    expect(decide({ issuer: spent(-SKEW_SECONDS - 0.001) }).decision).toBe('refunded');
  });

  it.each([
    { label: 'exactly the skew before', offset: -SKEW_SECONDS },
    { label: '10 s after', offset: 10 },
    { label: 'at the end of the race window', offset: RACE_WINDOW_SECONDS },
  ])('escalates (race_window) a balance drop dated $label the reveal', ({ offset }) => {
    expect(decide({ issuer: spent(offset) })).toMatchObject({
      decision: 'escalated',
      escalationReason: 'race_window',
    });
  });

  it('rejects a balance drop after the race window, counted against the seller too', () => {
    expect(decide({ issuer: spent(RACE_WINDOW_SECONDS + 0.001) })).toMatchObject({
      decision: 'rejected',
      usedAfterReveal: true,
    });
  });

  it('follows the no-time rows for a balance drop the issuer gives no time for', () => {
    const noTime: IssuerCheck = { state: 'active', balance: eur(1) };
    expect(decide({ issuer: noTime })).toMatchObject({ decision: 'refunded', unproven: true });
    expect(decide({ issuer: noTime, buyerCreditPoor: true })).toMatchObject({
      decision: 'escalated',
      escalationReason: 'buyer_credit_poor',
    });
    expect(decide({ issuer: noTime, unprovenReportsIn90Days: 1 })).toMatchObject({
      decision: 'escalated',
      escalationReason: 'unproven_history',
    });
  });

  it('escalates (seller_suspected) a use after the window when the seller is suspected, a redemption or a spend', () => {
    for (const issuer of [spent(RACE_WINDOW_SECONDS + 60), redeemed(plusSeconds(revealedAt, 600))]) {
      expect(decide({ issuer, sellerSuspected: true })).toMatchObject({
        decision: 'escalated',
        escalationReason: 'seller_suspected',
        usedAfterReveal: true,
      });
    }
  });

  it('does not let a suspected seller change any other row', () => {
    const before = decide({ issuer: redeemed(plusSeconds(revealedAt, -3600)), sellerSuspected: true });
    expect(before).toMatchObject({ decision: 'refunded' });
    expect(before.usedAfterReveal).toBeUndefined();
    expect(decide({ issuer: active(5000), sellerSuspected: true }).decision).toBe('rejected');
    expect(decide({ issuer: redeemed(plusSeconds(revealedAt, 10)), sellerSuspected: true })).toMatchObject({
      escalationReason: 'race_window',
    });
  });

  it('dates a redemption without redeemedAt by lastUsedAt', () => {
    const issuer: IssuerCheck = {
      state: 'redeemed',
      balance: eur(0),
      lastUsedAt: plusSeconds(revealedAt, -3600),
    };
    expect(decide({ issuer }).decision).toBe('refunded');
  });
});
