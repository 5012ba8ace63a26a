import { NotFoundError, ReportNotOpenError } from '../domain/errors.js';
import type { SettlementOutcome } from '../domain/escalation.js';
import type { Order } from '../domain/order.js';
import type { Actor } from '../domain/order-event.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import { fineFor } from '../domain/penalty-policy.js';
import type { Report, ReportEvidence } from '../domain/report.js';
import type { ReportDecision } from '../domain/report-decision.js';
import type { BuyerCreditChange, SellerSuspicionChange } from '../ports/report-store.js';
import type { OrderRunner } from './order-runner.js';
import type { SuspensionService } from './suspension-service.js';
import type { CoreDeps } from './vault-deps.js';

/** How an open report ends, and who ends it. */
export interface Closing {
  readonly outcome: SettlementOutcome;
  /** The final decision: refunded or rejected, or `*_unproven` (the deadline's default). */
  readonly decision: Exclude<ReportDecision, 'escalated'>;
  /** With a refund: does the seller get a strike and a fine? */
  readonly penalty: boolean;
  readonly by: string;
  readonly actor: Actor;
  readonly eventType: 'report.settled' | 'report.default_applied' | 'report.decided';
  readonly note?: string;
  /** Counted on the buyer's `unprovenTimes` (no redemption time, or the deadline default). */
  readonly unproven?: boolean;
  /** New evidence (the issuer's answer to a re-ask). */
  readonly evidence?: ReportEvidence;
  /** A re-ask's answer found the card used after the reveal: counted against the seller too. */
  readonly seller?: SellerSuspicionChange;
}

/**
 * Ends an open escalation, whoever ends it (operator, deadline default, issuer's answer): the
 * report closed, the order's open count down (back on its release clock), the refund or
 * rejection on the buyer's record, the event on the order's trail, in one transaction.
 */
export class ReportCloser {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'logger'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly suspension: SuspensionService,
  ) {}

  async close(tenantId: string, reportId: string, closing: Closing): Promise<Report> {
    const { reports } = this.deps.stores;
    const found = await reports.getReportById(tenantId, reportId);
    if (!found) throw new NotFoundError('report not found', { reportId });
    const closed = await this.runner.run(tenantId, found.orderId, async (order, now) => {
      const report = await reports.getReport(tenantId, found.orderId, found.cardId);
      if (report?.status !== 'open')
        throw new ReportNotOpenError('the report is not an open escalation', { reportId });
      const refund = isRefund(closing.decision);
      const next: Report = {
        ...report,
        decision: closing.decision,
        status: 'closed',
        ...(closing.evidence ? { evidence: closing.evidence } : {}),
        settlement: {
          outcome: closing.outcome,
          by: closing.by,
          ...(closing.note !== undefined ? { note: closing.note } : {}),
          at: now.toISOString(),
        },
        ...(refund ? { refund: order.unitPrice } : {}),
        ...(refund && closing.penalty ? { sellerPenalty: fineFor(order.unitPrice) } : {}),
      };
      const transition = this.transitionFor(order, report, closing, now);
      const event = this.transitions.event(order, now, closing.eventType, closing.actor, undefined, {
        reportId,
        cardId: report.cardId,
        outcome: closing.outcome,
        decision: closing.decision,
        decidedBy: closing.by,
        ...(closing.note !== undefined ? { note: closing.note } : {}),
        ...(closing.evidence ? { rationale: closing.evidence.rationale } : {}),
      });
      const buyer: BuyerCreditChange = {
        ...(closing.decision === 'refunded' ? { delta: 'upheld' as const } : {}),
        ...(refund ? {} : { delta: 'rejected' as const }),
        ...(closing.unproven ? { unproven: true } : {}),
      };
      // The runner hands back the transition with its strike guarded against the seller as read.
      const write = async (guarded: OrderTransition) => {
        const written = await reports.closeReport({
          report: next,
          buyer,
          transition: guarded,
          event,
          ...(closing.seller ? { seller: closing.seller } : {}),
        });
        if (written === 'not-open')
          throw new ReportNotOpenError('the report is not an open escalation', { reportId });
        return written === 'closed' ? ('done' as const) : ('conflict' as const);
      };
      return { transition, write, result: (o: Order) => ({ report: next, sellerId: o.sellerId }) };
    });
    this.deps.logger.info(
      { tenantId, reportId, outcome: closing.outcome, decision: closing.decision },
      'escalation closed',
    );
    if (closing.decision === 'refunded' && closing.penalty) {
      await this.suspension.afterPenaltySafely(tenantId, closed.sellerId);
    }
    return closed.report;
  }

  private transitionFor(order: Order, report: Report, closing: Closing, now: Date): OrderTransition {
    if (!isRefund(closing.decision)) return this.transitions.closeEscalation(order, now);
    return this.transitions.refundReportedCard(order, report.cardId, report.reportId, now, {
      penalty: closing.penalty,
      closesEscalation: true,
      unproven: closing.decision === 'refunded_unproven',
    });
  }
}

function isRefund(decision: Closing['decision']): boolean {
  return decision === 'refunded' || decision === 'refunded_unproven';
}
