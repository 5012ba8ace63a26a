import type { SweepResult } from './sweep-pages.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * The sweeper's gauges, measured once per run: how many escalations are open across tenants,
 * and how long the oldest has been open (its deadline less ESCALATION_DEADLINE_SECONDS). Both
 * are sent even at zero, so an alarm on them always has data.
 */
export class EscalationGauges {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'metrics' | 'settings' | 'logger'>,
  ) {}

  async run(): Promise<SweepResult> {
    let levels: Awaited<ReturnType<CoreDeps['stores']['reports']['escalationLevels']>>;
    try {
      levels = await this.deps.stores.reports.escalationLevels();
    } catch (error) {
      // Counted as a failed item, like any sweep step: the run fails and its alarm sees it.
      this.deps.logger.error(
        { err: error instanceof Error ? error.name : typeof error },
        'escalation gauges failed',
      );
      return { examined: 1, failed: 1 };
    }
    const { count, earliestDeadline } = levels;
    const now = this.deps.clock.now().getTime();
    const openedAt = earliestDeadline
      ? Date.parse(earliestDeadline) - this.deps.settings.escalationDeadlineSeconds * 1000
      : now;
    this.deps.metrics.gauge({ name: 'OpenEscalations', unit: 'Count' }, count);
    this.deps.metrics.gauge(
      { name: 'OldestEscalationAge', unit: 'Seconds' },
      Math.max(0, Math.floor((now - openedAt) / 1000)),
    );
    return { examined: 0, failed: 0 };
  }
}
