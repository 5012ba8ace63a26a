import { InvalidStateError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import type { Report } from '../domain/report.js';
import type { ReviewOutcome, SellerEvent, SellerStanding } from '../domain/seller-standing.js';
import { countingMarks } from '../domain/seller-suspicion.js';
import type { OrderRunner } from './order-runner.js';
import type { ReportCloser } from './report-closer.js';
import { openEscalation } from './report-evidence.js';
import type { SuspensionService } from './suspension-service.js';
import type { CoreDeps } from './vault-deps.js';

export interface ReviewDecision {
  readonly outcome: ReviewOutcome;
  readonly note: string;
  readonly decidedBy: string;
}

type Deps = Pick<CoreDeps, 'stores' | 'clock' | 'ids' | 'logger' | 'settings'>;

/**
 * A seller under review (seller-suspicion.ts): opened by the report that makes the distinct
 * buyers reach the threshold, closed by the dispute desk. Opening reopens the seller's earlier
 * used-after-reveal rejections; closing lifts the held releases and settles the seller's
 * `seller_suspected` escalations: refunds with penalty on suspension, rejections when cleared. That work is left on the
 * table in the same transaction as the opening or the closing, run right after, and resumed by
 * the sweeper until it is done: every step is idempotent.
 */
export class SellerReviewService {
  constructor(
    private readonly deps: Deps,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly closer: ReportCloser,
    private readonly suspension: SuspensionService,
  ) {}

  /** The desk's decision. Throws `InvalidStateError` when the seller is not under review. */
  async close(tenantId: string, sellerId: string, decision: ReviewDecision): Promise<void> {
    const { parties } = this.deps.stores;
    const seller = await parties.getSeller(tenantId, sellerId);
    const review = seller?.review;
    if (!seller || !review) throw new InvalidStateError('the seller is not under review', { sellerId });
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const event = (type: SellerEvent['type'], data: Record<string, unknown>): SellerEvent => ({
      eventId: this.deps.ids.next('evt', now),
      sellerId,
      type,
      by: decision.decidedBy,
      at,
      data,
    });
    const events = [
      event('seller.review_closed', { outcome: decision.outcome, note: decision.note, since: review.since }),
      ...(decision.outcome === 'suspended' && seller.status !== 'suspended'
        ? [event('seller.suspended', { reason: 'review', note: decision.note })]
        : []),
    ];
    const closed = await parties.closeReview({
      tenantId,
      sellerId,
      since: review.since,
      outcome: decision.outcome,
      at,
      events,
    });
    if (!closed) throw new InvalidStateError('the seller is not under review', { sellerId });
    this.deps.logger.info({ tenantId, sellerId, outcome: decision.outcome }, 'seller review closed');
    await this.reconcileSafely(tenantId, sellerId);
  }

  /** After a committed opening or closing: its answer stands whatever the follow-up does. */
  async reconcileSafely(tenantId: string, sellerId: string): Promise<void> {
    try {
      await this.reconcile(tenantId, sellerId);
    } catch (error) {
      this.deps.logger.error(
        { tenantId, sellerId, err: String(error) },
        'seller review work failed; the sweeper resumes it',
      );
    }
  }

  /** Does the work the review left, if any; true once none is left. */
  async reconcile(tenantId: string, sellerId: string): Promise<boolean> {
    const { parties } = this.deps.stores;
    const work = await parties.getReviewWork(tenantId, sellerId);
    if (!work) return true;
    const seller = await parties.getSeller(tenantId, sellerId);
    if (seller) {
      // A suspension may land before the opening's reopening ran (its process died, the sweeper
      // had not come by): the work item now says `suspended`, so reopen first, then settle.
      if (work.kind !== 'cleared') await this.reopenEarlier(seller, tenantId);
      if (work.kind !== 'reopen') {
        await this.settleSuspected(seller, tenantId, work.kind);
        if (work.kind === 'suspended') await this.suspension.afterPenalty(tenantId, sellerId);
        await this.liftHolds(tenantId, sellerId);
      }
    }
    return parties.finishReviewWork(tenantId, sellerId, work.at);
  }

  /** The seller's earlier used-after-reveal rejections, reopened as `seller_suspected` escalations. */
  private async reopenEarlier(seller: SellerStanding, tenantId: string): Promise<void> {
    const { reports } = this.deps.stores;
    for (const mark of countingMarks(seller, this.deps.clock.now(), this.deps.settings)) {
      const report = await reports.getReport(tenantId, mark.orderId, mark.cardId);
      if (report?.status !== 'closed' || report.decision !== 'rejected') continue;
      await this.runner.run(tenantId, mark.orderId, (order, now) => {
        if (!reopenable(order, report)) return { done: undefined };
        const reopened: Report = {
          ...report,
          decision: 'escalated',
          status: 'open',
          escalation: openEscalation(this.deps, 'seller_suspected', now),
        };
        const transition = this.transitions.reopenReport(order, now);
        const event = this.transitions.event(order, now, 'report.escalated', 'vault', undefined, {
          reportId: report.reportId,
          cardId: report.cardId,
          reason: 'seller_suspected',
          reopened: true,
        });
        const write = async (t: typeof transition) => {
          const written = await reports.reopenReport({
            report: reopened,
            // The time the rejection was counted on the buyer: its settlement (or, decided at once, its creation).
            withdrawnRejectionAt: report.settlement?.at ?? report.createdAt,
            transition: t,
            event,
          });
          return written === 'conflict' ? ('conflict' as const) : ('done' as const);
        };
        return { transition, write, result: () => undefined };
      });
    }
  }

  /**
   * The reports the review held open follow its outcome: upheld with a penalty each when the
   * seller is suspended; rejected again when the seller is cleared, so buyers who redeemed codes
   * themselves to put an honest seller under review gain nothing but their rejections back.
   */
  private async settleSuspected(
    seller: SellerStanding,
    tenantId: string,
    outcome: ReviewOutcome,
  ): Promise<void> {
    const { reports } = this.deps.stores;
    const suspended = outcome === 'suspended';
    for (const mark of seller.usedAfterReveal) {
      const report = await reports.getReport(tenantId, mark.orderId, mark.cardId);
      if (report?.status !== 'open' || report.escalation?.reason !== 'seller_suspected') continue;
      await this.closer.close(tenantId, report.reportId, {
        outcome: suspended ? 'refund' : 'reject',
        decision: suspended ? 'refunded' : 'rejected',
        penalty: suspended,
        by: 'vault',
        actor: 'vault',
        eventType: 'report.settled',
        note: suspended ? "the seller's review ended in suspension" : "the seller's review was cleared",
      });
    }
  }

  /** Every release the review held goes back on its clock, and is paid out if its window has passed. */
  private async liftHolds(tenantId: string, sellerId: string): Promise<void> {
    const { orders, parties } = this.deps.stores;
    for (const { orderId } of await orders.listHeldReleases(tenantId, sellerId)) {
      await this.runner.run(tenantId, orderId, async (order, now) => {
        if (order.state !== 'revealed' || order.releaseHeld !== true) return { done: undefined };
        // A new review opened since: the hold stays.
        if ((await parties.getSeller(tenantId, sellerId))?.review) return { done: undefined };
        return { transition: this.transitions.liftReleaseHold(order, now), result: () => undefined };
      });
      await this.runner.load(tenantId, orderId);
    }
  }
}

/** A rejected report can be reopened while its card is not refunded and its order not refunded whole. */
function reopenable(order: Order, report: Report): boolean {
  const card = order.cards.find((c) => c.cardId === report.cardId);
  return (order.state === 'revealed' || order.state === 'released') && card !== undefined && !card.refunded;
}
