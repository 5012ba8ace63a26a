import type { EscalationService } from './escalation-service.js';
import { runDuePages, type SweepResult } from './sweep-pages.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * The sweeper's step for escalations past their deadline: the default outcome (refund, no
 * seller penalty) needs no plaintext, so it runs with the sweeper's privileges.
 */
export class EscalationDeadlines {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly escalations: Pick<EscalationService, 'applyDefault'>,
  ) {}

  run(): Promise<SweepResult> {
    return runDuePages(this.deps, 'escalation deadlines', async (now, limit) => {
      const due = await this.deps.stores.reports.listEscalationsPastDeadline(now, limit);
      return due.map((d) => () => this.escalations.applyDefault(d.tenantId, d.reportId));
    });
  }
}
