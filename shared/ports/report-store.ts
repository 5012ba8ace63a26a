import type { BuyerCreditDelta } from '../domain/buyer-credit.js';
import type { OrderEvent } from '../domain/order-event.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { Report } from '../domain/report.js';
import type {
  ReviewOutcome,
  SellerEvent,
  SellerReview,
  UsedAfterRevealMark,
} from '../domain/seller-standing.js';

/** A report found "used after the reveal", counted against the seller (seller-suspicion.ts). */
export interface SellerSuspicionChange {
  readonly sellerId: string;
  /** How many marks the seller had as read: the write commits only if still so. */
  readonly seen: number;
  /** The marks to keep: those that still count, and the new one. */
  readonly marks: readonly UsedAfterRevealMark[];
  /** This report puts the seller under review: the review, its event, and reopening work left. */
  readonly opens?: { readonly review: SellerReview; readonly event: SellerEvent };
}

/** What a seller's review leaves to do: reopen earlier reports (opened), or lift holds (closed). */
export type ReviewWorkKind = 'reopen' | ReviewOutcome;

/** How a decided report moves the buyer's record. */
export interface BuyerCreditChange {
  /** The counter to add one to; none when an escalation is closed by the deadline default. */
  readonly delta?: BuyerCreditDelta;
  /** Upheld without an issuer redemption time, or refunded by the deadline default (`unprovenTimes`). */
  readonly unproven?: boolean;
}

/** One page of a tenant's open escalations, oldest first. */
export interface EscalationPage {
  readonly reports: readonly Report[];
  /** Opaque; absent on the last page. */
  readonly nextCursor?: string;
}

/** Buyers' reports, stored with the order's transition and the buyer's credit in one transaction. */
export interface ReportStore {
  getReport(tenantId: string, orderId: string, cardId: string): Promise<Report | undefined>;
  /** The report with this id in this tenant, wherever its order is. */
  getReportById(tenantId: string, reportId: string): Promise<Report | undefined>;
  /** Stores the report, updates buyer credit and, when upheld, applies the refund and penalty. */
  recordReport(input: {
    report: Report;
    buyer: BuyerCreditChange;
    /** The order's change (refund, or the report noted on its version). */
    transition: OrderTransition;
    event: OrderEvent;
    seller?: SellerSuspicionChange;
  }): Promise<'recorded' | 'already-reported' | 'conflict'>;
  /**
   * Replaces an open report that is still as `previous` was read (its escalation unchanged),
   * without closing it: an unanswered re-ask, or an answer that escalates again.
   */
  updateOpenReport(input: {
    report: Report;
    previous: Report;
    event?: OrderEvent;
    seller?: SellerSuspicionChange;
  }): Promise<'done' | 'conflict'>;
  /**
   * Closes an open report with the order's change, the buyer's record and the event, in one
   * transaction. `not-open`: it was closed meanwhile; `conflict`: the order changed, read again.
   */
  closeReport(input: {
    report: Report;
    buyer: BuyerCreditChange;
    transition: OrderTransition;
    event: OrderEvent;
    seller?: SellerSuspicionChange;
  }): Promise<'closed' | 'not-open' | 'conflict'>;
  /**
   * Reopens a report rejected as used after the reveal, now that its seller is under review: the
   * report open again (escalated), its deadline on the index, the buyer's rejection withdrawn,
   * the order's open count up, and the event. `not-rejected`: it is not (or no longer) so.
   */
  reopenReport(input: {
    report: Report;
    /** The rejection time on the buyer's record that no longer counts. */
    withdrawnRejectionAt: string;
    transition: OrderTransition;
    event: OrderEvent;
  }): Promise<'reopened' | 'not-rejected' | 'conflict'>;
  /** A tenant's open escalations, oldest first. Throws `ValidationError` on a cursor it did not issue. */
  listOpenEscalations(tenantId: string, limit: number, cursor?: string): Promise<EscalationPage>;
  /** Open escalations past their deadline at `now`, across tenants, longest overdue first. */
  listEscalationsPastDeadline(
    now: string,
    limit: number,
  ): Promise<Array<{ tenantId: string; reportId: string }>>;
  /** Open escalations across tenants: how many, and the earliest deadline (the sweeper's gauges). */
  escalationLevels(): Promise<EscalationLevels>;
}

export interface EscalationLevels {
  readonly count: number;
  /** Absent when none is open. */
  readonly earliestDeadline?: string;
}
