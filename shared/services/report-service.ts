import {
  AlreadyReportedError,
  DisputeWindowClosedError,
  NotFoundError,
  NotRevealedError,
} from '../domain/errors.js';
import type { IssuerCheck } from '../domain/issuer-check.js';
import { type Order, releasedBeforeReveal } from '../domain/order.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import { fineFor } from '../domain/penalty-policy.js';
import type { Report, ReportReason } from '../domain/report.js';
import type { TableDecision } from '../domain/report-decision.js';
import { suspicionChange } from '../domain/seller-suspicion.js';
import type { TrailType } from '../domain/trail-type.js';
import type { SellerSuspicionChange } from '../ports/report-store.js';
import type { OrderRunner } from './order-runner.js';
import { askIssuer, decideOnEvidence, evidenceOf, openEscalation } from './report-evidence.js';
import type { SellerReviewService } from './seller-review-service.js';
import type { SuspensionService } from './suspension-service.js';
import type { RevealDeps } from './vault-deps.js';

/** The trail line of a fresh report, by the table's decision. */
const REPORT_LINES = {
  refunded: 'report.refunded',
  rejected: 'report.rejected',
  escalated: 'report.escalated',
} as const satisfies Record<TableDecision, TrailType>;

export interface ReportInput {
  readonly buyerId: string;
  readonly cardId: string;
  readonly reason: ReportReason;
}

/**
 * "The code was already used" (F1, F5, F7): re-checked with the issuer at report time and
 * decided by the table in domain/report-decision.ts, with the evidence kept on the report.
 */
export class ReportService {
  constructor(
    private readonly deps: Pick<
      RevealDeps,
      'stores' | 'cipher' | 'issuer' | 'clock' | 'ids' | 'settings' | 'logger' | 'metrics'
    >,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly suspension: SuspensionService,
    private readonly reviews: SellerReviewService,
  ) {}

  async report(tenantId: string, orderId: string, input: ReportInput): Promise<Report> {
    const { reports, parties } = this.deps.stores;
    // The issuer's answer is asked once: a retry after a lost race decides again on the same evidence.
    let recheck: Promise<IssuerCheck | undefined> | undefined;
    const { report, sellerId, opensReview } = await this.runner.run(tenantId, orderId, async (order, now) => {
      this.assertReportable(order, input, now);
      if (await reports.getReport(tenantId, orderId, input.cardId)) {
        throw new AlreadyReportedError('this card was already reported', { cardId: input.cardId });
      }
      recheck ??= askIssuer(this.deps, order, input.cardId, { purpose: 'report' });
      const [issuer, buyer, seller] = await Promise.all([
        recheck,
        parties.getBuyer(tenantId, input.buyerId),
        parties.getSeller(tenantId, order.sellerId),
      ]);
      const revealedAt = order.revealedAt as string;
      const decided = decideOnEvidence(
        this.deps,
        { order, cardId: input.cardId, issuer, buyer, seller },
        now,
      );
      const { decision, rationale, escalationReason } = decided;
      const reportId = this.deps.ids.next('rpt', now);
      // Used after the reveal: counted against the seller as well as the buyer, read as of this attempt.
      const sellerChange: SellerSuspicionChange | undefined = decided.usedAfterReveal
        ? suspicionChange(
            order.sellerId,
            seller,
            { buyerId: input.buyerId, reportId, orderId, cardId: input.cardId, at: now.toISOString() },
            now,
            this.deps.settings,
            this.deps.ids.next('evt', now),
          )
        : undefined;
      const upheld = decision === 'refunded';
      const report: Report = {
        tenantId,
        reportId,
        orderId,
        cardId: input.cardId,
        buyerId: input.buyerId,
        sellerId: order.sellerId,
        reason: input.reason,
        decision,
        status: escalationReason ? 'open' : 'closed',
        ...(escalationReason ? { escalation: openEscalation(this.deps, escalationReason, now) } : {}),
        evidence: evidenceOf(issuer, revealedAt, rationale, now),
        ...(upheld ? { refund: order.unitPrice, sellerPenalty: fineFor(order.unitPrice) } : {}),
        createdAt: now.toISOString(),
      };
      // Every decision is written on the order's version: none lands on an order released meanwhile.
      const transition = upheld
        ? this.transitions.refundReportedCard(order, input.cardId, reportId, now)
        : this.transitions.noteReport(order, now, decision === 'escalated');
      const event = this.transitions.event(order, now, REPORT_LINES[decision], 'buyer', undefined, {
        reportId,
        cardId: input.cardId,
        decision,
        issuerState: report.evidence.issuerState,
        rationale,
        ...(escalationReason ? { escalationReason } : {}),
      });
      const write = async (transition: OrderTransition) => {
        const written = await reports.recordReport({
          report,
          buyer: {
            delta: upheld ? 'upheld' : decision === 'rejected' ? 'rejected' : 'escalated',
            unproven: decided.unproven === true,
          },
          transition,
          event,
          ...(sellerChange ? { seller: sellerChange } : {}),
        });
        if (written === 'already-reported') throw new AlreadyReportedError('this card was already reported');
        return written === 'recorded' ? ('done' as const) : ('conflict' as const);
      };
      return {
        transition,
        write,
        result: (next: Order) => ({
          report,
          sellerId: next.sellerId,
          opensReview: sellerChange?.opens !== undefined,
        }),
      };
    });
    this.deps.logger.info(
      { tenantId, orderId, reportId: report.reportId, decision: report.decision },
      'report decided',
    );
    this.deps.metrics.count({ name: 'Reports', decision: report.decision });
    if (report.decision === 'refunded') await this.suspension.afterPenaltySafely(tenantId, sellerId);
    if (opensReview) {
      this.deps.logger.warn({ tenantId, sellerId }, 'seller under review');
      await this.reviews.reconcileSafely(tenantId, sellerId);
    }
    return report;
  }

  private assertReportable(order: Order, input: ReportInput, now: Date): void {
    if (order.buyerId !== input.buyerId)
      throw new NotFoundError('order not found', { orderId: order.orderId });
    const card = order.cards.find((c) => c.cardId === input.cardId);
    if (!card) throw new NotFoundError('this card is not part of the order', { cardId: input.cardId });
    if (order.revealedAt === undefined)
      throw new NotRevealedError(`the order is ${order.state}: nothing was revealed`);
    if (card.refunded)
      throw new AlreadyReportedError('this card was already refunded', { cardId: input.cardId });
    // An order revealed after its release has its own window; any other released order is closed.
    const windowClosed =
      (order.state === 'released' && !releasedBeforeReveal(order)) ||
      (order.disputeDeadline !== undefined && Date.parse(order.disputeDeadline) <= now.getTime());
    if (windowClosed)
      throw new DisputeWindowClosedError('the dispute window is closed', {
        disputeDeadline: order.disputeDeadline,
      });
  }
}
