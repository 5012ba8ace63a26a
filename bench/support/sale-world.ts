import type { CatalogStore } from '../../shared/ports/catalog-store.js';
import type { LedgerSnapshot } from './ledger.js';
import type { SaleWorld, SeenPayment, SeenReveal, StoredCard, StoredOrder } from './sale-invariants.js';
import { runPool } from './stats.js';

/** A GET on the vault's API with the tenant's key: the JSON body, or a thrown error for any non-200. */
export type ApiGet = (path: string) => Promise<any>;

/**
 * Reads back what the vault holds after a run, for `saleViolations`: each order and its trail
 * over HTTP (the contract a marketplace sees), each deposited card from the catalog store (no
 * route shows a card's state), and each seller's standing for the ledger.
 */
export async function gatherSaleWorld(input: {
  get: ApiGet;
  catalog: Pick<CatalogStore, 'getCard'>;
  tenantId: string;
  deposited: SaleWorld['deposited'];
  orderIds: Iterable<string>;
  reveals: readonly SeenReveal[];
  payments: readonly SeenPayment[];
  concurrency?: number;
}): Promise<SaleWorld> {
  const concurrency = input.concurrency ?? 16;
  const orderIds = [...new Set(input.orderIds)];
  const orders: StoredOrder[] = new Array(orderIds.length);
  const sellerOf = new Map<string, string>();
  const ledgerOrders: Array<LedgerSnapshot['orders'][number]> = [];
  await runPool(orderIds.length, concurrency, async (i) => {
    const orderId = orderIds[i] as string;
    const [order, trail] = await Promise.all([
      input.get(`/v1/orders/${orderId}`),
      input.get(`/v1/orders/${orderId}/events`),
    ]);
    orders[i] = { ...order, events: trail.events };
    sellerOf.set(orderId, order.sellerId);
    ledgerOrders.push({
      tenantId: input.tenantId,
      sellerId: order.sellerId,
      amount: order.amount,
      paid: typeof order.paidAt === 'string',
      refunded: order.refunded,
    });
  });
  const sellerIds = [...new Set(sellerOf.values())];
  const sellers: Array<LedgerSnapshot['sellers'][number]> = [];
  await runPool(sellerIds.length, concurrency, async (i) => {
    const sellerId = sellerIds[i] as string;
    const standing = await input.get(`/v1/sellers/${encodeURIComponent(sellerId)}`);
    sellers.push({
      tenantId: input.tenantId,
      sellerId,
      balance: standing.balance,
      fines: standing.penalties.map(
        (p: { fine: LedgerSnapshot['sellers'][number]['fines'][number] }) => p.fine,
      ),
    });
  });
  const cards = new Map<string, StoredCard>();
  await runPool(input.deposited.length, concurrency, async (i) => {
    const d = input.deposited[i] as SaleWorld['deposited'][number];
    const card = await input.catalog.getCard(input.tenantId, d.listingId, d.cardId);
    if (card)
      cards.set(d.cardId, {
        cardId: card.cardId,
        state: card.state,
        ...(card.orderId ? { orderId: card.orderId } : {}),
      });
  });
  return {
    deposited: input.deposited,
    cards,
    orders,
    reveals: input.reveals,
    payments: input.payments,
    ledger: { sellers, orders: ledgerOrders },
  };
}
