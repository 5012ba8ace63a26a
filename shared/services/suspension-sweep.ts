import { resumePending } from './pending-work.js';
import type { SuspensionService } from './suspension-service.js';
import type { SweepResult } from './sweep-pages.js';
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

  async run(): Promise<SweepResult> {
    const pending = await this.deps.stores.parties.listPendingCascades(PAGE);
    return resumePending(this.deps, 'suspension cascade', pending, (p) =>
      this.suspension.resume(p.tenantId, p.sellerId, p.suspendedAt),
    );
  }
}
