import {
  AlreadyReportedError,
  DependencyUnavailableError,
  DisputeWindowClosedError,
  NotFoundError,
  NotRevealedError,
} from '../domain/errors.js';
import type { IssuerCheck } from '../domain/issuer-check.js';
import type { Order } from '../domain/order.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import { fineFor, isCreditPoor } from '../domain/penalty-policy.js';
import type { Report, ReportReason } from '../domain/report.js';
import { decideReport } from '../domain/report-decision.js';
import type { OrderRunner } from './order-runner.js';
import type { SuspensionService } from './suspension-service.js';
import type { RevealDeps } from './vault-deps.js';

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
      'stores' | 'cipher' | 'issuer' | 'clock' | 'ids' | 'settings' | 'logger'
    >,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly suspension: SuspensionService,
  ) {}

  async report(tenantId: string, orderId: string, input: ReportInput): Promise<Report> {
    const { reports, parties } = this.deps.stores;
    // The issuer's answer is asked once: a retry after a lost race decides again on the same evidence.
    let recheck: Promise<IssuerCheck | undefined> | undefined;
    const { report, sellerId } = await this.runner.run(tenantId, orderId, async (order, now) => {
      this.assertReportable(order, input, now);
      if (await reports.getReport(tenantId, orderId, input.cardId)) {
        throw new AlreadyReportedError('this card was already reported', { cardId: input.cardId });
      }
      recheck ??= this.recheck(order, input.cardId);
      const [issuer, buyer] = await Promise.all([recheck, parties.getBuyer(tenantId, input.buyerId)]);
      const revealedAt = order.revealedAt as string;
      const { decision, rationale } = decideReport({
        issuer,
        revealedAt,
        raceWindowSeconds: this.deps.settings.raceWindowSeconds,
        buyerCreditPoor: isCreditPoor(buyer?.rejectionTimes ?? [], now),
      });
      const reportId = this.deps.ids.next('rpt', now);
      const upheld = decision === 'refunded';
      const report: Report = {
        tenantId,
        reportId,
        orderId,
        cardId: input.cardId,
        buyerId: input.buyerId,
        reason: input.reason,
        decision,
        evidence: {
          issuerState: issuer?.state ?? 'unreachable',
          ...(issuer?.redeemedAt ? { redeemedAt: issuer.redeemedAt } : {}),
          revealedAt,
          checkedAt: now.toISOString(),
          rationale,
        },
        ...(upheld ? { refund: order.unitPrice, sellerPenalty: fineFor(order.unitPrice) } : {}),
        createdAt: now.toISOString(),
      };
      // Every decision is written on the order's version: none lands on an order released meanwhile.
      const transition = upheld
        ? this.transitions.refundReportedCard(order, input.cardId, reportId, now)
        : this.transitions.noteReport(order, now, decision === 'escalated');
      const event = this.transitions.event(order, now, `report.${decision}`, 'buyer', undefined, {
        reportId,
        cardId: input.cardId,
        decision,
        issuerState: report.evidence.issuerState,
        rationale,
      });
      const write = async (transition: OrderTransition) => {
        const written = await reports.recordReport({
          report,
          buyerCreditDelta: upheld ? 'upheld' : decision,
          transition,
          event,
        });
        if (written === 'already-reported') throw new AlreadyReportedError('this card was already reported');
        return written === 'recorded' ? ('done' as const) : ('conflict' as const);
      };
      return { transition, write, result: (next: Order) => ({ report, sellerId: next.sellerId }) };
    });
    this.deps.logger.info(
      { tenantId, orderId, reportId: report.reportId, decision: report.decision },
      'report decided',
    );
    if (report.decision === 'refunded') await this.suspension.afterPenaltySafely(tenantId, sellerId);
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
    const windowClosed =
      order.state === 'released' ||
      (order.disputeDeadline !== undefined && Date.parse(order.disputeDeadline) <= now.getTime());
    if (windowClosed)
      throw new DisputeWindowClosedError('the dispute window is closed', {
        disputeDeadline: order.disputeDeadline,
      });
  }

  /** The issuer's word now; undefined when it cannot be reached (the report is escalated). */
  private async recheck(order: Order, cardId: string): Promise<IssuerCheck | undefined> {
    const [card, brand] = await Promise.all([
      this.deps.stores.catalog.getCard(order.tenantId, order.listingId, cardId),
      this.deps.stores.tenants.getBrand(order.brand),
    ]);
    if (!card || !brand) return undefined;
    const secret = await this.deps.cipher.decrypt(card.ciphertext, { tenantId: order.tenantId, cardId });
    try {
      return await this.deps.issuer.check(brand, secret);
    } catch (error) {
      if (error instanceof DependencyUnavailableError) return undefined;
      throw error;
    }
  }
}
