import { InvalidStateError } from '../domain/errors.js';
import type { CoreDeps } from './vault-deps.js';

export interface Reinstatement {
  readonly note: string;
  readonly decidedBy: string;
}

/**
 * An operator lifts a suspension (API and admin CLI): the seller sells and is paid out again.
 * Strikes and penalties stay in the history; only strikes after the reinstatement count toward
 * the next suspension. The decision is on the seller's own trail (`seller.reinstated`).
 */
export class ReinstatementService {
  constructor(private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids'>) {}

  /** Throws `InvalidStateError` when the seller is not suspended: nothing to lift, nothing recorded. */
  async reinstate(tenantId: string, sellerId: string, input: Reinstatement): Promise<void> {
    const now = this.deps.clock.now();
    const event = {
      eventId: this.deps.ids.next('evt', now),
      sellerId,
      type: 'seller.reinstated' as const,
      by: input.decidedBy,
      at: now.toISOString(),
      data: { note: input.note },
    };
    if (!(await this.deps.stores.parties.reinstateSeller(tenantId, event))) {
      throw new InvalidStateError('the seller is not suspended', { sellerId });
    }
  }
}
