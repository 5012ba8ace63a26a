import type { CardState } from '../domain/card.js';
import { ConcurrentUpdateError, NotFoundError } from '../domain/errors.js';
import { dueTransition, type Order } from '../domain/order.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import { countCommitted } from './commit-metrics.js';
import type { CoreDeps } from './vault-deps.js';

const MAX_ATTEMPTS = 8;

/**
 * What a command decided after reading the order: an answer as is, or a change to write.
 * `write` stores the transition it is given (the decided one, its strikes guarded) together
 * with the command's own items (a payment record, a report); without it the transition is
 * written alone. `conflict` means read and decide again.
 */
export type Decision<R> =
  | { done: R }
  | {
      transition: OrderTransition;
      write?: (transition: OrderTransition) => Promise<'done' | 'conflict'>;
      result: (next: Order) => R;
    };

/**
 * Reads orders with their due transitions applied, and runs commands as
 * read -> decide -> conditional write, re-reading and deciding again when the write loses
 * a race. One mechanism for every order command, so none of them reasons about timing.
 */
export class OrderRunner {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'metrics'>,
    private readonly transitions: Pick<
      OrderTransitions,
      'closeUnpaid' | 'release' | 'holdRelease' | 'strike'
    >,
  ) {}

  /** The order as of now: an expiry or release that is due is applied first. */
  async load(tenantId: string, orderId: string): Promise<Order> {
    return this.run(tenantId, orderId, (order) => ({ done: order }));
  }

  async run<R>(
    tenantId: string,
    orderId: string,
    decide: (order: Order, now: Date) => Promise<Decision<R>> | Decision<R>,
  ): Promise<R> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const order = await this.deps.stores.orders.getOrder(tenantId, orderId);
      if (!order) throw new NotFoundError('order not found', { orderId });
      const now = this.deps.clock.now();
      const due = await this.dueChange(order, now);
      if (due) {
        // Apply what time has made due, then decide the command on the new state.
        const guarded = await this.guardStrikes(due);
        const written = await this.deps.stores.orders.transition(guarded);
        if (written === 'conflict') await backoff(attempt);
        else countCommitted(this.deps.metrics, guarded);
        continue;
      }
      const decision = await decide(order, now);
      if ('done' in decision) return decision.done;
      const transition = await this.guardStrikes(decision.transition);
      const written = decision.write
        ? await decision.write(transition)
        : await this.deps.stores.orders.transition(transition);
      if (written === 'conflict') {
        await backoff(attempt);
        continue;
      }
      countCommitted(this.deps.metrics, transition);
      return decision.result(transition.next);
    }
    throw new ConcurrentUpdateError('the order kept changing; try again', { orderId });
  }

  /**
   * Expires the orders still holding a listing's cards after their payment time, so stock and
   * new orders never depend on when the sweeper last ran. Returns how many were found.
   */
  async settleLapsedReservations(tenantId: string, listingId: string): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    const lapsedOrderIds = await this.deps.stores.catalog.lapsedReservations(tenantId, listingId, now);
    await this.loadAll(tenantId, lapsedOrderIds);
    return lapsedOrderIds.length;
  }

  /** The listing's stock by card state as of now: one read, a second only if reservations had lapsed. */
  async stockSettled(tenantId: string, listingId: string): Promise<Record<CardState, number>> {
    const stock = await this.readStock(tenantId, listingId);
    if (stock.lapsedOrderIds.length === 0) return stock.counts;
    await this.loadAll(tenantId, stock.lapsedOrderIds);
    return (await this.readStock(tenantId, listingId)).counts;
  }

  private readStock(tenantId: string, listingId: string) {
    return this.deps.stores.catalog.stock(tenantId, listingId, this.deps.clock.now().toISOString());
  }

  private async loadAll(tenantId: string, orderIds: readonly string[]): Promise<void> {
    await Promise.all(orderIds.map((orderId) => this.load(tenantId, orderId)));
  }

  /**
   * Every strike is counted against the seller as read on this attempt, whichever command gives
   * it: a concurrent strike makes the write a conflict, and the command decides again.
   */
  private async guardStrikes(transition: OrderTransition): Promise<OrderTransition> {
    if (transition.penalties.length === 0) return transition;
    const { tenantId, sellerId } = transition.order;
    return this.transitions.strike(transition, await this.deps.stores.parties.getSeller(tenantId, sellerId));
  }

  private async dueChange(order: Order, now: Date): Promise<OrderTransition | undefined> {
    switch (dueTransition(order, now)) {
      case 'expire':
        return this.transitions.closeUnpaid(order, 'expired', 'sweeper', now, 'payment_timeout');
      case 'release': {
        // A seller under review is paid nothing at the end of a window: the release waits for the desk.
        const seller = await this.deps.stores.parties.getSeller(order.tenantId, order.sellerId);
        return seller?.review
          ? this.transitions.holdRelease(order, now)
          : this.transitions.release(order, now, 'sweeper', { atWindowEnd: true });
      }
      default:
        return undefined;
    }
  }
}

/** Jittered backoff between attempts: contenders spread out instead of colliding again. */
export function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(200, 10 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
