import type { OrderRunner } from './order-runner.js';
import { runDuePages, type SweepResult } from './sweep-pages.js';
import type { CoreDeps } from './vault-deps.js';

export type { SweepResult };

/** More scheduled work run after the due orders, each in its own file (escalation deadlines...). */
export interface SweepStep {
  run(): Promise<SweepResult>;
}

/**
 * Applies due transitions (payment timeout -> expired, dispute window over -> released), then
 * its steps (escalation deadlines, suspension cascades left pending, and locally the recheck job).
 * It queries the due index, never scans; each order goes through the same runner as a read, so a
 * sweep racing a request changes nothing twice.
 */
export class Sweeper {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly runner: OrderRunner,
    private readonly steps: readonly SweepStep[] = [],
  ) {}

  async sweep(): Promise<SweepResult> {
    const results = [await this.dueOrders()];
    for (const step of this.steps) results.push(await step.run());
    const examined = results.reduce((n, r) => n + r.examined, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    if (examined > 0) this.deps.logger.info({ examined, failed }, 'sweep done');
    return { examined, failed };
  }

  private dueOrders(): Promise<SweepResult> {
    return runDuePages(this.deps, 'sweep', async (now, limit) => {
      const due = await this.deps.stores.orders.listDueOrders(now, limit);
      return due.map((d) => () => this.runner.load(d.tenantId, d.orderId));
    });
  }
}
