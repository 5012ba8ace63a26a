import { shouldSuspend } from '../domain/penalty-policy.js';
import type { OrderRunner } from './order-runner.js';
import type { VaultDeps } from './vault-deps.js';

/**
 * Suspension at 3 strikes in 90 days, and its cascade: unpaid orders cancelled, paid but
 * unrevealed orders refunded. Frozen stock needs no writes: placing an order checks the
 * seller's status in the same transaction. Every step is idempotent, so a crash half way
 * is finished by the next penalty or by re-running it.
 */
export class SuspensionService {
  constructor(
    private readonly deps: Pick<VaultDeps, 'stores' | 'clock' | 'logger'>,
    private readonly runner: OrderRunner,
  ) {}

  async afterPenalty(tenantId: string, sellerId: string): Promise<void> {
    const seller = await this.deps.stores.parties.getSeller(tenantId, sellerId);
    const now = this.deps.clock.now();
    if (!seller || seller.status === 'suspended' || !shouldSuspend(seller.strikeTimes, now)) return;
    await this.deps.stores.parties.suspendSeller(tenantId, sellerId, now.toISOString());
    this.deps.logger.warn({ tenantId, sellerId }, 'seller suspended');
    await this.cascade(tenantId, sellerId);
  }

  async cascade(tenantId: string, sellerId: string): Promise<void> {
    const open = await this.deps.stores.orders.listOpenSellerOrders(tenantId, sellerId);
    for (const { orderId } of open) {
      await this.runner.run(tenantId, orderId, (order, now) => {
        const { transitions } = this.runner;
        if (order.state === 'pending_payment') {
          return {
            transition: transitions.closeUnpaid(order, 'cancelled', 'vault', now, 'seller_suspended'),
            result: () => undefined,
          };
        }
        if (order.state === 'paid') {
          return {
            transition: transitions.refundPaid(order, now, 'vault', 'seller_suspended', []),
            result: () => undefined,
          };
        }
        return { done: undefined };
      });
    }
  }
}
