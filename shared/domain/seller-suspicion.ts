import type { SellerEvent, SellerReview, SellerStanding, UsedAfterRevealMark } from './seller-standing.js';

/**
 * A seller still knows the codes they sold. One buyer whose card dies after the reveal may be
 * lying; several different buyers of the same seller, within a few weeks, point at the seller.
 */
export interface SuspicionSettings {
  /** SELLER_SUSPICION_DAYS: how far back used-after-reveal reports count. */
  readonly sellerSuspicionDays: number;
  /** SELLER_SUSPICION_BUYERS: distinct buyers, the new one included, that put the seller under review. */
  readonly sellerSuspicionBuyers: number;
}

type SuspicionRecord = Pick<SellerStanding, 'usedAfterReveal' | 'suspicionResetAt' | 'review'>;

/** The marks that still count at `now`: inside the window, and after the last cleared review. */
export function countingMarks(
  seller: SuspicionRecord,
  now: Date,
  settings: SuspicionSettings,
): readonly UsedAfterRevealMark[] {
  const since = Math.max(
    now.getTime() - settings.sellerSuspicionDays * 86_400_000,
    seller.suspicionResetAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(seller.suspicionResetAt),
  );
  return seller.usedAfterReveal.filter((m) => Date.parse(m.at) > since);
}

/** Distinct buyers among the marks that count. */
export function suspicionBuyers(seller: SuspicionRecord, now: Date, settings: SuspicionSettings): string[] {
  return [...new Set(countingMarks(seller, now, settings).map((m) => m.buyerId))];
}

/**
 * Is a new used-after-reveal report by `buyerId` one too many? Yes while the seller is under
 * review, or when, with this buyer, the distinct buyers reach the threshold. The same buyer
 * reporting twice is one buyer: a buyer alone never puts a seller under review.
 */
export function isSellerSuspected(
  seller: SuspicionRecord,
  buyerId: string,
  now: Date,
  settings: SuspicionSettings,
): boolean {
  if (seller.review !== undefined) return true;
  const buyers = new Set(suspicionBuyers(seller, now, settings));
  buyers.add(buyerId);
  return buyers.size >= settings.sellerSuspicionBuyers;
}

/** The review a suspected report opens, unless one is open already. */
export function reviewOpenedBy(
  seller: SuspicionRecord,
  mark: UsedAfterRevealMark,
  now: Date,
  settings: SuspicionSettings,
): SellerReview | undefined {
  if (seller.review !== undefined) return undefined;
  const buyers = new Set(suspicionBuyers(seller, now, settings));
  buyers.add(mark.buyerId);
  return { status: 'under_review', since: now.toISOString(), buyers: buyers.size };
}

/**
 * How a used-after-reveal report changes the seller's record: the marks that still count plus
 * the new one (older ones are dropped, so the record stays small), guarded by the number read;
 * and the review it opens when it is the one too many.
 */
export function suspicionChange(
  sellerId: string,
  seller: SuspicionRecord | undefined,
  mark: UsedAfterRevealMark,
  now: Date,
  settings: SuspicionSettings,
  openingEventId: string,
): {
  readonly sellerId: string;
  readonly seen: number;
  readonly marks: readonly UsedAfterRevealMark[];
  readonly opens?: { readonly review: SellerReview; readonly event: SellerEvent };
} {
  const asRead: SuspicionRecord = seller ?? { usedAfterReveal: [] };
  const marks = [...countingMarks(asRead, now, settings), mark];
  const suspected = isSellerSuspected(asRead, mark.buyerId, now, settings);
  const review = suspected ? reviewOpenedBy(asRead, mark, now, settings) : undefined;
  return {
    sellerId,
    seen: asRead.usedAfterReveal.length,
    marks,
    ...(review
      ? {
          opens: {
            review,
            event: {
              eventId: openingEventId,
              sellerId,
              type: 'seller.review_opened',
              by: 'vault',
              at: now.toISOString(),
              data: { buyers: review.buyers, reportId: mark.reportId, orderId: mark.orderId },
            },
          },
        }
      : {}),
  };
}
