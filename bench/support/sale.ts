import { MAX_CARDS_PER_DEPOSIT } from '../../shared/http/routes/deposit-routes.js';
import type { BenchStack } from './bench-stack.js';

/** What a sale's steps need of the bench: its API client (the stack's, or a client process's). */
export type SaleApi = Pick<BenchStack, 'api'>;

/** The HTTP requests of one full sale (the P1 floor and the per-sale price count them). */
export const SALE_STEPS = ['listing', 'deposit', 'order', 'payment', 'reveal', 'confirm'] as const;

let serial = 0;
const unique = (prefix: string) => {
  serial += 1;
  return `${prefix}-${process.pid}-${serial}-${Date.now().toString(36)}`;
};

export async function createListing(b: SaleApi, sellerId = unique('seller')): Promise<string> {
  const { listingId } = await b.api('POST', '/v1/listings', {
    sellerId,
    brand: 'demo-gift',
    faceValue: { amount: 5000, currency: 'EUR' },
    price: { amount: 4500, currency: 'EUR' },
  });
  return listingId;
}

/** Deposits `codes` in requests of at most MAX_CARDS_PER_DEPOSIT; returns how many were accepted. */
export async function deposit(b: SaleApi, listingId: string, codes: readonly string[]): Promise<number> {
  return (await depositOutcomes(b, listingId, codes)).accepted;
}

/** Deposit outcomes by kind (`accepted`, `pending` when the issuer did not answer in time, ...). */
export async function depositOutcomes(b: SaleApi, listingId: string, codes: readonly string[]) {
  const outcomes: Record<string, number> = {};
  for (let start = 0; start < codes.length; start += MAX_CARDS_PER_DEPOSIT) {
    const cards = codes.slice(start, start + MAX_CARDS_PER_DEPOSIT).map((code) => ({ code }));
    const { results } = await b.api<{ results: { outcome: string }[] }>(
      'POST',
      `/v1/listings/${listingId}/cards`,
      { cards },
    );
    for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  }
  return { accepted: outcomes.accepted ?? 0, outcomes };
}

export async function placeOrder(b: SaleApi, listingId: string, buyerId = unique('buyer')) {
  const order = await b.api<{ orderId: string; amount: unknown }>(
    'POST',
    '/v1/orders',
    { listingId, buyerId },
    { 'idempotency-key': unique('order') },
  );
  return { ...order, buyerId };
}

export async function pay(b: SaleApi, order: { orderId: string; amount: unknown }): Promise<void> {
  await b.api('POST', `/v1/orders/${order.orderId}/payment`, {
    paymentRef: unique('pay'),
    amount: order.amount,
  });
}

export async function reveal(b: SaleApi, order: { orderId: string; buyerId: string }): Promise<void> {
  await b.api(
    'POST',
    `/v1/orders/${order.orderId}/reveal`,
    { buyerId: order.buyerId },
    { 'idempotency-key': unique('reveal') },
  );
}

/**
 * One full sale of one pre-minted code: listing, deposit, order, payment, reveal, confirm.
 * Returns false when the deposit did not accept the code (on a loaded machine the issuer check
 * can miss its deadline and leave the card `pending`): that sale stops there.
 */
export async function fullSale(b: SaleApi, code: string): Promise<boolean> {
  const listingId = await createListing(b);
  if ((await deposit(b, listingId, [code])) !== 1) return false;
  const order = await placeOrder(b, listingId);
  await pay(b, order);
  await reveal(b, order);
  await b.api('POST', `/v1/orders/${order.orderId}/confirm`, { buyerId: order.buyerId });
  return true;
}
