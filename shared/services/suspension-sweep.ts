import type { SuspensionService } from './suspension-service.js';
import type { CoreDeps } from './vault-deps.js';

const PAGE = 25;

/**
 * The sweeper's step for suspensions: every suspended seller whose cascade did not finish
 * (the inline run after the strike failed, or the process stopped) is resumed, found on the
 * due index, never by a scan. A seller that fails stays pending for the next sweep.
 */
export class SuspensionSweep {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'logger'>,
    private readonly suspension: Pick<SuspensionService, 'resume'>,
  ) {}

  async run(): Promise<{ examined: number; failed: number }> {
    const pending = await this.deps.stores.parties.listPendingCascades(PAGE);
    const results = await Promise.allSettled(
      pending.map((p) => this.suspension.resume(p.tenantId, p.sellerId, p.suspendedAt)),
    );
    let failed = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      failed++;
      this.deps.logger.error(
        { ...pending[i], err: String(r.reason) },
        'suspension cascade failed; the next sweep resumes it',
      );
    });
    return { examined: pending.length, failed };
  }
}
