import { isPastDeadline, type OperatorOutcome } from '../domain/escalation.js';
import type { Report } from '../domain/report.js';
import type { EscalationPage } from '../ports/report-store.js';
import type { ReportCloser } from './report-closer.js';
import type { CoreDeps } from './vault-deps.js';

export interface Settle {
  readonly outcome: OperatorOutcome;
  readonly note: string;
  readonly decidedBy: string;
}

/**
 * The marketplace's dispute desk: its open escalations, oldest first, and settling one; and
 * the deadline default the sweeper applies (refund without penalty). None of it opens a code.
 */
export class EscalationService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock'>,
    private readonly closer: ReportCloser,
  ) {}

  list(tenantId: string, limit: number, cursor?: string): Promise<EscalationPage> {
    return this.deps.stores.reports.listOpenEscalations(tenantId, limit, cursor);
  }

  settle(tenantId: string, reportId: string, input: Settle): Promise<Report> {
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
   * Buyer protection at the deadline: the reported card refunded, no seller strike, recorded as
   * `refunded_unproven` on both records so repeated unproven cases stand out. Returns false when
   * the report is not (or no longer) past its deadline.
   */
  async applyDefault(tenantId: string, reportId: string): Promise<boolean> {
    const report = await this.deps.stores.reports.getReportById(tenantId, reportId);
    const { escalation } = report ?? {};
    if (report?.status !== 'open' || !escalation || !isPastDeadline(escalation, this.deps.clock.now()))
      return false;
    await this.closer.close(tenantId, reportId, {
      outcome: 'default_refund',
      decision: 'refunded_unproven',
      penalty: false,
      by: 'sweeper',
      actor: 'sweeper',
      eventType: 'report.default_applied',
      unproven: true,
    });
    return true;
  }
}
