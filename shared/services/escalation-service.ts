import type { BuyerCredit } from '../domain/buyer-credit.js';
import {
  deadlineDefault,
  escalationDeadline,
  isPastDeadline,
  type OperatorOutcome,
} from '../domain/escalation.js';
import {
  activeStrikes,
  isCreditPoor,
  rejectionsIn90Days,
  unprovenReportsIn90Days,
} from '../domain/penalty-policy.js';
import type { Report } from '../domain/report.js';
import type { SellerStanding, SellerStatus } from '../domain/seller-standing.js';
import { suspicionBuyers } from '../domain/seller-suspicion.js';
import type { EscalationPage } from '../ports/report-store.js';
import type { ReportCloser } from './report-closer.js';
import type { CoreDeps } from './vault-deps.js';

/** What the desk knows of the buyer: counts, and the 90-day figures the decision table uses. */
export interface BuyerRecord {
  readonly reportsTotal: number;
  readonly upheldTotal: number;
  readonly rejectedIn90Days: number;
  readonly unprovenIn90Days: number;
  readonly creditPoor: boolean;
}

/** What the desk knows of the seller: strikes, used-after-reveal buyers, and the review. */
export interface SellerRecord {
  readonly sellerId: string;
  readonly status: SellerStatus;
  readonly strikes: number;
  /** Distinct buyers whose reports found the seller's cards used after the reveal, in the window. */
  readonly usedAfterRevealBuyers: number;
  readonly review: 'none' | 'under_review';
  readonly reviewSince?: string;
}

/** An escalation as the desk sees it: the report with both parties' records. */
export interface EscalationCase {
  readonly report: Report;
  readonly buyerRecord: BuyerRecord;
  readonly sellerRecord: SellerRecord;
}

export interface Settle {
  readonly outcome: OperatorOutcome;
  readonly note: string;
  readonly decidedBy: string;
}

/**
 * The marketplace's dispute desk: its open escalations, oldest first, and settling one; and
 * the deadline default the sweeper applies (by reason: `DEADLINE_DEFAULTS`). None of it opens a code.
 */
export class EscalationService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'settings'>,
    private readonly closer: ReportCloser,
  ) {}

  async list(
    tenantId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ cases: EscalationCase[]; nextCursor?: string }> {
    const page: EscalationPage = await this.deps.stores.reports.listOpenEscalations(tenantId, limit, cursor);
    return {
      cases: await this.withRecords(tenantId, page.reports),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async settle(tenantId: string, reportId: string, input: Settle): Promise<EscalationCase> {
    const report = await this.settleReport(tenantId, reportId, input);
    const [settled] = await this.withRecords(tenantId, [report]);
    return settled as EscalationCase;
  }

  /** Both parties' records beside each report: each order, buyer and seller read once. */
  private async withRecords(tenantId: string, reports: readonly Report[]): Promise<EscalationCase[]> {
    const { orders, parties } = this.deps.stores;
    const once = <T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>) => {
      const found = cache.get(id) ?? read();
      cache.set(id, found);
      return found;
    };
    const sellerIds = new Map<string, Promise<string | undefined>>();
    const buyers = new Map<string, Promise<BuyerCredit | undefined>>();
    const sellers = new Map<string, Promise<SellerStanding | undefined>>();
    const now = this.deps.clock.now();
    return Promise.all(
      reports.map(async (report) => {
        // Reports keep their seller; older ones are looked up once per order.
        const sellerId =
          report.sellerId ??
          (await once(
            sellerIds,
            report.orderId,
            async () => (await orders.getOrder(tenantId, report.orderId))?.sellerId,
          )) ??
          '';
        const [buyer, seller] = await Promise.all([
          once(buyers, report.buyerId, () => parties.getBuyer(tenantId, report.buyerId)),
          once(sellers, sellerId, () => parties.getSeller(tenantId, sellerId)),
        ]);
        return {
          report,
          buyerRecord: buyerRecordOf(buyer, now),
          sellerRecord: sellerRecordOf(sellerId, seller, now, this.deps.settings),
        };
      }),
    );
  }

  private settleReport(tenantId: string, reportId: string, input: Settle): Promise<Report> {
    return this.closer.close(tenantId, reportId, {
      outcome: input.outcome,
      decision: input.outcome === 'reject' ? 'rejected' : 'refunded',
      penalty: input.outcome === 'refund',
      by: input.decidedBy,
      actor: 'marketplace',
      eventType: 'report.settled',
      note: input.note,
    });
  }

  /**
   * The deadline's default, by the escalation's reason (`DEADLINE_DEFAULTS`): doubt about the
   * issuer or the seller refunds the buyer without a seller strike (`refunded_unproven`, on both
   * records so repeated cases stand out); doubt about the buyer rejects (`rejected_unproven`, the
   * money released to the seller, a rejection on the buyer's record). Returns false when the
   * report is not (or no longer) past its deadline, or its deadline was deferred.
   *
   * A suspected seller's escalation waits for the seller's review instead: the review's closing
   * settles it (refunds on suspension, rejections when cleared), and a default refund before then
   * would pay buyers who redeemed the codes themselves to put an honest seller under review.
   */
  async applyDefault(tenantId: string, reportId: string): Promise<boolean> {
    const { reports, parties, orders } = this.deps.stores;
    const report = await reports.getReportById(tenantId, reportId);
    const { escalation } = report ?? {};
    const now = this.deps.clock.now();
    if (report?.status !== 'open' || !escalation || !isPastDeadline(escalation, now)) return false;
    if (escalation.reason === 'seller_suspected') {
      const sellerId = report.sellerId ?? (await orders.getOrder(tenantId, report.orderId))?.sellerId;
      if (sellerId && (await parties.getSeller(tenantId, sellerId))?.review) {
        const deadline = escalationDeadline(now, this.deps.settings.escalationDeadlineSeconds);
        // Off the due index until then, so a long review never blocks the sweeper's page.
        await reports.updateOpenReport({
          report: { ...report, escalation: { ...escalation, deadline } },
          previous: report,
        });
        return false;
      }
    }
    const refund = deadlineDefault(escalation.reason) === 'refund';
    await this.closer.close(tenantId, reportId, {
      outcome: refund ? 'default_refund' : 'default_reject',
      decision: refund ? 'refunded_unproven' : 'rejected_unproven',
      penalty: false,
      by: 'sweeper',
      actor: 'sweeper',
      eventType: 'report.default_applied',
      unproven: refund,
    });
    return true;
  }
}

function buyerRecordOf(buyer: BuyerCredit | undefined, now: Date): BuyerRecord {
  const rejectionTimes = buyer?.rejectionTimes ?? [];
  return {
    reportsTotal: buyer?.reportsTotal ?? 0,
    upheldTotal: buyer?.upheld ?? 0,
    rejectedIn90Days: rejectionsIn90Days(rejectionTimes, now),
    unprovenIn90Days: unprovenReportsIn90Days(buyer?.unprovenTimes ?? [], now),
    creditPoor: isCreditPoor(rejectionTimes, now),
  };
}

function sellerRecordOf(
  sellerId: string,
  seller: SellerStanding | undefined,
  now: Date,
  settings: CoreDeps['settings'],
): SellerRecord {
  return {
    sellerId,
    status: seller?.status ?? 'active',
    strikes: seller ? activeStrikes(seller.strikeTimes, now, seller.reinstatedAt) : 0,
    usedAfterRevealBuyers: seller ? suspicionBuyers(seller, now, settings).length : 0,
    review: seller?.review ? 'under_review' : 'none',
    ...(seller?.review ? { reviewSince: seller.review.since } : {}),
  };
}
