import { InvalidStateError } from '../domain/errors.js';
import type { Reinstatement } from './reinstatement-service.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * An operator lifts a seller's deposit lock (API and admin CLI), the only way out of the lock
 * that the third in 7 days becomes: the count of rejected codes and of locks starts afresh. The
 * decision is on the seller's own trail (`seller.deposits_unlocked`).
 */
export class DepositUnlockService {
  constructor(private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids'>) {}

  /** Throws `InvalidStateError` when the seller's deposits are not locked: nothing recorded. */
  async unlock(tenantId: string, sellerId: string, input: Reinstatement): Promise<void> {
    const now = this.deps.clock.now();
    const event = {
      eventId: this.deps.ids.next('evt', now),
      sellerId,
      type: 'seller.deposits_unlocked' as const,
      by: input.decidedBy,
      at: now.toISOString(),
      data: { note: input.note },
    };
    if (!(await this.deps.stores.depositBudgets.unlock(tenantId, event))) {
      throw new InvalidStateError("the seller's deposits are not locked", { sellerId });
    }
  }
}
