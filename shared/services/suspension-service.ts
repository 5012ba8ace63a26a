import type { OrderTransitions } from '../domain/order-transitions.js';
import { shouldSuspend } from '../domain/penalty-policy.js';
import type { OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * Suspension at 3 strikes in 90 days, and its cascade: unpaid orders cancelled, paid but
 * unrevealed orders refunded. Frozen stock needs no writes: placing an order checks the
 * seller's status in the same transaction. Every step is idempotent, so a crash half way
 * is finished by the next penalty or by re-running it.
 */
export class SuspensionService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
  ) {}

  async afterPenalty(tenantId: string, sellerId: string): Promise<void> {
    const seller = await this.deps.stores.parties.getSeller(tenantId, sellerId);
    const now = this.deps.clock.now();
    if (!seller) return;
    if (seller.status === 'active') {
      if (!shouldSuspend(seller.strikeTimes, now)) return;
      await this.deps.stores.parties.suspendSeller(tenantId, sellerId, now.toISOString());
      this.deps.logger.warn({ tenantId, sellerId }, 'seller suspended');
    }
    // Also when already suspended: a cascade cut short earlier is finished by the next penalty.
    await this.cascade(tenantId, sellerId);
  }

  /**
   * After a refund or report has committed, its answer must reach the caller whatever the
   * cascade does: a failure is logged, and payment and reveal refuse a suspended seller anyway.
   */
  async afterPenaltySafely(tenantId: string, sellerId: string): Promise<void> {
    try {
      await this.afterPenalty(tenantId, sellerId);
    } catch (error) {
      this.deps.logger.error(
        { tenantId, sellerId, err: String(error) },
        'suspension cascade failed; it resumes on the next penalty',
      );
    }
  }

  async cascade(tenantId: string, sellerId: string): Promise<void> {
    const open = await this.deps.stores.orders.listOpenSellerOrders(tenantId, sellerId);
    for (const { orderId } of open) {
      await this.runner.run(tenantId, orderId, (order, now) => {
        const { transitions } = this;
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
