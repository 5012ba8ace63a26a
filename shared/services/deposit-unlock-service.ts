import { lockOf } from '../domain/deposit-budget.js';
import { InvalidStateError } from '../domain/errors.js';
import type { Reinstatement } from './reinstatement-service.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * An operator lifts a seller's deposit lock (API and admin CLI), the only way out of the lock
 * that the third in 7 days becomes: the count of rejected codes and of locks starts afresh. The
 * decision is on the seller's own trail (`seller.deposits_unlocked`). A race with a deposit's
 * write is answered 409 (`InvalidStateError`): the operator reads the standing and tries again.
 */
export class DepositUnlockService {
  constructor(private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids' | 'settings'>) {}

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
    const { depositBudgets } = this.deps.stores;
    const budget = await depositBudgets.get(tenantId, sellerId);
    // Locked as a deposit would find it: a written lock, or the hour's rejections and dead
    // checks' holds filling the budget (a lowered DEPOSIT_REJECT_BUDGET included).
    const locked = budget && lockOf(budget, now, this.deps.settings.depositRejectBudget);
    if (!locked || !(await depositBudgets.unlock(tenantId, event, budget.version))) {
      throw new InvalidStateError("the seller's deposits are not locked", { sellerId });
    }
  }
}
