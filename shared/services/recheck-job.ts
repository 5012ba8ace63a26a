import { afterUnansweredReask, isReaskDue, nextEscalationCheckAt } from '../domain/escalation.js';
import { type IssuerCheck, isCardDeadAtReveal } from '../domain/issuer-check.js';
import type { Order } from '../domain/order.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import { suspicionChange } from '../domain/seller-suspicion.js';
import { mapBounded } from './bounded.js';
import type { OrderRunner } from './order-runner.js';
import type { ReportCloser } from './report-closer.js';
import { askIssuer, decideOnEvidence, evidenceOf } from './report-evidence.js';
import type { SellerReviewService } from './seller-review-service.js';
import type { SuspensionService } from './suspension-service.js';
import { runDuePages, type SweepResult } from './sweep-pages.js';
import type { RevealDeps } from './vault-deps.js';

type Deps = Pick<RevealDeps, 'stores' | 'cipher' | 'issuer' | 'clock' | 'settings' | 'logger' | 'ids'>;

/**
 * The scheduled work that needs a code's plaintext, so it runs with the reveal function's
 * privileges (the sweeper has no KMS): re-asking the issuer about escalated reports it left
 * unanswered, and re-checking paid orders never revealed by their reveal deadline.
 */
export class RecheckJob {
  constructor(
    private readonly deps: Deps,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly closer: ReportCloser,
    private readonly suspension: SuspensionService,
    private readonly reviews: SellerReviewService,
  ) {}

  run(): Promise<SweepResult> {
    return runDuePages(this.deps, 'recheck', async (now, limit) => {
      const due = await this.deps.stores.orders.listDueRechecks(now, limit);
      return due.map(
        (d) => () =>
          d.cardId === undefined
            ? this.revealDeadline(d.tenantId, d.orderId)
            : this.reask(d.tenantId, d.orderId, d.cardId),
      );
    });
  }

  /** The issuer answers: decided by the same table as a fresh report; still silent: ask later. */
  async reask(tenantId: string, orderId: string, cardId: string): Promise<void> {
    const { reports, parties } = this.deps.stores;
    const report = await reports.getReport(tenantId, orderId, cardId);
    const escalation = report?.escalation;
    if (report?.status !== 'open' || !escalation || !isReaskDue(escalation, this.deps.clock.now())) return;
    const order = await this.runner.load(tenantId, orderId);
    const issuer = await askIssuer(this.deps, order, cardId, { purpose: 'recheck' });
    const now = this.deps.clock.now();
    const { settings } = this.deps;
    if (!issuer) {
      const next = afterUnansweredReask(
        escalation,
        now,
        settings.escalationRetrySeconds,
        settings.escalationRetryMaxSeconds,
      );
      await reports.updateOpenReport({ report: { ...report, escalation: next }, previous: report });
      return;
    }
    const [buyer, seller] = await Promise.all([
      parties.getBuyer(tenantId, report.buyerId),
      parties.getSeller(tenantId, order.sellerId),
    ]);
    const decided = decideOnEvidence(this.deps, { order, cardId, issuer, buyer, seller }, now);
    const evidence = evidenceOf(issuer, report.evidence.revealedAt, decided.rationale, now);
    // Used after the reveal: counted against the seller too (a lost race is re-asked next run).
    const sellerChange = decided.usedAfterReveal
      ? suspicionChange(
          order.sellerId,
          seller,
          { buyerId: report.buyerId, reportId: report.reportId, orderId, cardId, at: now.toISOString() },
          now,
          this.deps.settings,
          this.deps.ids.next('evt', now),
        )
      : undefined;
    if (decided.decision === 'escalated') {
      // An answer that itself escalates keeps the report open for an operator: no more re-asks.
      const { nextCheckAt: _done, ...rest } = escalation;
      const reason = decided.escalationReason;
      await reports.updateOpenReport({
        report: { ...report, evidence, escalation: { ...rest, reason, attempts: escalation.attempts + 1 } },
        previous: report,
        event: this.transitions.event(order, now, 'report.escalated', 'sweeper', undefined, {
          reportId: report.reportId,
          cardId,
          reason,
          rationale: decided.rationale,
        }),
        ...(sellerChange ? { seller: sellerChange } : {}),
      });
      if (sellerChange?.opens) await this.reviews.reconcileSafely(tenantId, order.sellerId);
      return;
    }
    await this.closer.close(tenantId, report.reportId, {
      outcome: 'issuer_answered',
      decision: decided.decision,
      penalty: decided.decision === 'refunded',
      by: 'issuer',
      actor: 'sweeper',
      eventType: 'report.decided',
      evidence,
      unproven: decided.unproven === true,
      ...(sellerChange ? { seller: sellerChange } : {}),
    });
  }

  /** Live: the seller is paid and the code stays sealed; dead: refund and penalty; silent: later. */
  async revealDeadline(tenantId: string, orderId: string): Promise<void> {
    let checked: Promise<{ dead: string[]; silent: boolean }> | undefined;
    const refunded = await this.runner.run(tenantId, orderId, async (order, now) => {
      const due = order.state === 'paid' && order.revealedAt === undefined && order.recheckAt !== undefined;
      if (!due || Date.parse(order.recheckAt as string) > now.getTime()) return { done: undefined };
      const seller = await this.deps.stores.parties.getSeller(tenantId, order.sellerId);
      if (seller?.status === 'suspended') {
        const transition = this.transitions.refundUnrevealed(order, now, {
          actor: 'sweeper',
          reason: 'seller_suspended',
        });
        return { transition, result: () => undefined };
      }
      checked ??= this.checkAll(order);
      const { dead, silent } = await checked;
      if (dead.length > 0) {
        const transition = this.transitions.refundUnrevealed(order, now, {
          actor: 'sweeper',
          reason: 'code_dead_before_reveal',
          deadCardIds: dead,
        });
        return { transition, result: (next) => next };
      }
      const { settings } = this.deps;
      const transition = silent
        ? this.transitions.postponeRecheck(
            order,
            now,
            nextEscalationCheckAt(
              order.recheckAttempts ?? 0,
              now,
              settings.escalationRetrySeconds,
              settings.escalationRetryMaxSeconds,
            ),
          )
        : this.transitions.releaseUnrevealed(order, now);
      return { transition, result: () => undefined };
    });
    if (refunded) await this.suspension.afterPenaltySafely(tenantId, refunded.sellerId);
  }

  /**
   * Every card's code asked once; any unanswered card makes the whole order wait for the next try.
   * Dead as at a reveal: not active, or less than the listing's face value left.
   */
  private async checkAll(order: Order): Promise<{ dead: string[]; silent: boolean }> {
    const { tenants, catalog } = this.deps.stores;
    const [brand, listing] = await Promise.all([
      tenants.getBrand(order.brand),
      catalog.getListing(order.tenantId, order.listingId),
    ]);
    if (!brand) return { dead: [], silent: true };
    const answers = await mapBounded(order.cards, 8, async ({ cardId }) => ({
      cardId,
      check: await askIssuer(this.deps, order, cardId, { purpose: 'recheck', brand }),
    }));
    const isDead = (check: IssuerCheck) =>
      listing ? isCardDeadAtReveal(check, listing.faceValue) : check.state !== 'active';
    const dead = answers.filter(({ check }) => check !== undefined && isDead(check)).map((a) => a.cardId);
    return { dead, silent: answers.some((a) => a.check === undefined) };
  }
}
