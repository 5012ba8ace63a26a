import type { OrderTransitions } from '../domain/order-transitions.js';
import type { OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

/**
 * Suspension at 3 strikes in 90 days, and its cascade: unpaid orders cancelled, paid but
 * unrevealed orders refunded. The strike that reaches the limit suspends the seller in its own
 * transaction (`OrderTransitions.strike`) and leaves the cascade pending; it runs right after
 * the answer is committed, and the sweeper resumes it until no open order is left. Frozen
 * stock needs no writes: placing an order checks the seller's status in the same transaction.
 * Every step is idempotent, so a crash half way is finished by the next run.
 */
export class SuspensionService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'logger'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
  ) {}

  /** After a committed penalty: if it suspended the seller, the cascade runs now. */
  async afterPenalty(tenantId: string, sellerId: string): Promise<void> {
    const seller = await this.deps.stores.parties.getSeller(tenantId, sellerId);
    if (seller?.status !== 'suspended' || !seller.cascadePending || seller.suspendedAt === undefined) return;
    this.deps.logger.warn({ tenantId, sellerId }, 'seller suspended');
    await this.resume(tenantId, sellerId, seller.suspendedAt);
  }

  /**
   * After a refund or report has committed, its answer must reach the caller whatever the
   * cascade does: a failure is logged, the cascade stays pending for the sweeper, and payment
   * and reveal refuse a suspended seller meanwhile.
   */
  async afterPenaltySafely(tenantId: string, sellerId: string): Promise<void> {
    try {
      await this.afterPenalty(tenantId, sellerId);
    } catch (error) {
      this.deps.logger.error(
        { tenantId, sellerId, err: String(error) },
        'suspension cascade failed; the sweeper resumes it',
      );
    }
  }

  /**
   * Runs the cascade and clears it once no open order is left. Returns whether it is finished
   * (an order the seller index shows late keeps it pending for the next sweep).
   */
  async resume(tenantId: string, sellerId: string, suspendedAt: string): Promise<boolean> {
    await this.cascade(tenantId, sellerId);
    const open = await this.deps.stores.orders.listOpenSellerOrders(tenantId, sellerId);
    if (open.length > 0) return false;
    await this.deps.stores.parties.finishCascade(tenantId, sellerId, suspendedAt);
    return true;
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
            transition: transitions.refundUnrevealed(order, now, {
              actor: 'vault',
              reason: 'seller_suspended',
            }),
            result: () => undefined,
          };
        }
        return { done: undefined };
      });
    }
  }
}
