import type { OrderRunner } from './order-runner.js';
import type { SuspensionSweep } from './suspension-sweep.js';
import type { CoreDeps } from './vault-deps.js';

const PAGE = 100;
const MAX_PAGES = 20;

export interface SweepResult {
  readonly examined: number;
  readonly failed: number;
}

/**
 * Applies due transitions (payment timeout -> expired, dispute window over -> released), then
 * its steps (suspension cascades left pending).
 * It queries the due index, never scans; each order goes through the same runner as a
 * read, so a sweep racing a request changes nothing twice.
 */
export class Sweeper {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly runner: OrderRunner,
    private readonly suspensions: SuspensionSweep,
  ) {}

  async sweep(): Promise<SweepResult> {
    let examined = 0;
    let failed = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const due = await this.deps.stores.orders.listDueOrders(this.deps.clock.now().toISOString(), PAGE);
      if (due.length === 0) break;
      const results = await Promise.allSettled(due.map((d) => this.runner.load(d.tenantId, d.orderId)));
      examined += due.length;
      const failures = results.filter((r) => r.status === 'rejected');
      failed += failures.length;
      for (const f of failures)
        this.deps.logger.error(
          { err: String((f as PromiseRejectedResult).reason) },
          'sweep of an order failed',
        );
      // Failed orders stay due; stop rather than spin on them within this run.
      if (failures.length === due.length) break;
    }
    const cascades = await this.suspensions.run();
    examined += cascades.examined;
    failed += cascades.failed;
    if (examined > 0) this.deps.logger.info({ examined, failed }, 'sweep done');
    return { examined, failed };
  }
}
