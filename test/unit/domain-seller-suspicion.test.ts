import { describe, expect, it } from 'vitest';
import { DEADLINE_DEFAULTS, deadlineDefault, ESCALATION_REASONS } from '../../shared/domain/escalation.js';
import type { UsedAfterRevealMark } from '../../shared/domain/seller-standing.js';
import {
  countingMarks,
  isSellerSuspected,
  suspicionBuyers,
  suspicionChange,
} from '../../shared/domain/seller-suspicion.js';
import { plusSeconds, T0 } from '../support/builders.js';

const settings = { sellerSuspicionDays: 30, sellerSuspicionBuyers: 2 };
const now = new Date(T0);
const DAY = 86_400;
const mark = (buyerId: string, secondsAgo: number, n = 0): UsedAfterRevealMark => ({
  buyerId,
  reportId: `rpt-${buyerId}-${n}`,
  orderId: `ord-${buyerId}-${n}`,
  cardId: `crd-${n}`,
  at: plusSeconds(T0, -secondsAgo),
});
const seller = (marks: UsedAfterRevealMark[], extra: { suspicionResetAt?: string } = {}) => ({
  usedAfterReveal: marks,
  ...extra,
});

describe('seller suspicion', () => {
  it('counts distinct buyers: the same buyer twice is one buyer', () => {
    const s = seller([mark('b1', 60, 1), mark('b1', 30, 2)]);
    expect(suspicionBuyers(s, now, settings)).toEqual(['b1']);
    expect(isSellerSuspected(s, 'b1', now, settings)).toBe(false);
    expect(isSellerSuspected(s, 'b2', now, settings)).toBe(true);
  });

  it('never suspects a seller on one buyer alone, however often', () => {
    expect(isSellerSuspected(seller([]), 'b1', now, settings)).toBe(false);
    const many = seller(Array.from({ length: 10 }, (_, i) => mark('b1', 60 + i, i)));
    expect(isSellerSuspected(many, 'b1', now, settings)).toBe(false);
  });

  it('counts a mark exactly inside the window and drops one exactly at its edge', () => {
    const inside = seller([mark('b1', 30 * DAY - 1)]);
    const edge = seller([mark('b1', 30 * DAY)]);
    expect(isSellerSuspected(inside, 'b2', now, settings)).toBe(true);
    expect(isSellerSuspected(edge, 'b2', now, settings)).toBe(false);
    expect(countingMarks(edge, now, settings)).toEqual([]);
  });

  it('forgets marks from before the last cleared review', () => {
    const s = seller([mark('b1', 3600)], { suspicionResetAt: plusSeconds(T0, -60) });
    expect(isSellerSuspected(s, 'b2', now, settings)).toBe(false);
    const after = seller([mark('b1', 30)], { suspicionResetAt: plusSeconds(T0, -60) });
    expect(isSellerSuspected(after, 'b2', now, settings)).toBe(true);
  });

  it('suspects every report while the seller is under review, the same buyer included', () => {
    const s = { ...seller([]), review: { status: 'under_review' as const, since: T0, buyers: 2 } };
    expect(isSellerSuspected(s, 'b1', now, settings)).toBe(true);
  });

  it('honours a higher threshold', () => {
    const s = seller([mark('b1', 60), mark('b2', 60)]);
    expect(isSellerSuspected(s, 'b3', now, { ...settings, sellerSuspicionBuyers: 3 })).toBe(true);
    expect(isSellerSuspected(s, 'b2', now, { ...settings, sellerSuspicionBuyers: 3 })).toBe(false);
  });

  describe('suspicionChange', () => {
    it('keeps the marks that count plus the new one, guarded by the number read', () => {
      const old = mark('b0', 40 * DAY);
      const kept = mark('b1', 60);
      const change = suspicionChange('s1', seller([old, kept]), mark('b1', 0, 9), now, settings, 'evt-1');
      expect(change).toEqual({ sellerId: 's1', seen: 2, marks: [kept, mark('b1', 0, 9)] });
    });

    it('opens the review with the report that reaches the threshold, and only then', () => {
      const change = suspicionChange('s1', seller([mark('b1', 60)]), mark('b2', 0), now, settings, 'evt-1');
      expect(change.opens).toEqual({
        review: { status: 'under_review', since: T0, buyers: 2 },
        event: {
          eventId: 'evt-1',
          sellerId: 's1',
          type: 'seller.review_opened',
          by: 'vault',
          at: T0,
          data: { buyers: 2, reportId: 'rpt-b2-0', orderId: 'ord-b2-0' },
        },
      });
      const first = suspicionChange('s1', undefined, mark('b1', 0), now, settings, 'evt-2');
      expect(first).toEqual({ sellerId: 's1', seen: 0, marks: [mark('b1', 0)] });
      const underReview = {
        ...seller([mark('b1', 60), mark('b2', 30)]),
        review: { status: 'under_review' as const, since: T0, buyers: 2 },
      };
      expect(suspicionChange('s1', underReview, mark('b3', 0), now, settings, 'evt-3').opens).toBeUndefined();
    });
  });
});

describe('deadline defaults', () => {
  it.each([
    ['issuer_unavailable', 'refund'],
    ['invalid_after_reveal', 'refund'],
    ['race_window', 'refund'],
    ['seller_suspected', 'refund'],
    ['buyer_credit_poor', 'reject'],
    ['unproven_history', 'reject'],
  ] as const)('%s defaults to %s', (reason, outcome) => {
    expect(deadlineDefault(reason)).toBe(outcome);
  });

  it('has a default for every escalation reason, and none for an unknown one', () => {
    expect(Object.keys(DEADLINE_DEFAULTS).sort()).toEqual([...ESCALATION_REASONS].sort());
  });
});
