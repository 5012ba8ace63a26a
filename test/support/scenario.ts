import { expect } from 'vitest';
import type { TestStack } from './test-stack.js';

/**
 * Builders for the sale lifecycle over HTTP, so each test states only what it is about.
 * Every helper asserts the step it performs succeeded.
 */
let counter = 0;
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export async function mintCode(
  stack: TestStack,
  amount = 5000,
  brand = 'demo-gift',
): Promise<{ code: string; pin?: string }> {
  const minted = await stack.issuer('/cards', { brand, amount, currency: 'EUR' });
  expect(minted.status).toBe(201);
  return minted.body;
}

export async function aListing(
  stack: TestStack,
  overrides: { sellerId?: string; price?: number; faceValue?: number; brand?: string } = {},
): Promise<{ listingId: string; sellerId: string }> {
  const sellerId = overrides.sellerId ?? unique('seller');
  const res = await stack.post('/v1/listings', {
    sellerId,
    brand: overrides.brand ?? 'demo-gift',
    faceValue: { amount: overrides.faceValue ?? 5000, currency: 'EUR' },
    price: { amount: overrides.price ?? 4500, currency: 'EUR' },
  });
  expect(res.status, res.text).toBe(201);
  return { listingId: res.body.listingId, sellerId };
}

/** Mints `count` fresh codes at the issuer and deposits them; returns codes and card ids. */
export async function depositFresh(stack: TestStack, listingId: string, count = 1, faceValue = 5000) {
  const codes = [];
  for (let i = 0; i < count; i++) codes.push(await mintCode(stack, faceValue));
  const res = await stack.post(`/v1/listings/${listingId}/cards`, {
    cards: codes.map((c) => ({ code: c.code })),
  });
  expect(res.status, res.text).toBe(200);
  const results = res.body.results as Array<{ outcome: string; cardId: string }>;
  expect(
    results.every((r) => r.outcome === 'accepted'),
    res.text,
  ).toBe(true);
  return codes.map((c, i) => ({ code: c.code, cardId: results[i]?.cardId as string }));
}

export async function anOrder(stack: TestStack, listingId: string, buyerId = unique('buyer'), quantity = 1) {
  const res = await stack.post(
    '/v1/orders',
    { listingId, buyerId, quantity },
    { 'idempotency-key': unique('order') },
  );
  expect(res.status, res.text).toBe(201);
  return { order: res.body, orderId: res.body.orderId as string, buyerId };
}

export async function pay(
  stack: TestStack,
  order: { orderId: string; amount: { amount: number; currency: string } },
  paymentRef = unique('pay'),
) {
  const res = await stack.post(`/v1/orders/${order.orderId}/payment`, { paymentRef, amount: order.amount });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

export function reveal(stack: TestStack, orderId: string, buyerId: string, key = unique('reveal')) {
  return stack.post(`/v1/orders/${orderId}/reveal`, { buyerId }, { 'idempotency-key': key });
}

/** A listing with one fresh card, ordered and paid: ready to reveal. */
export async function aPaidOrder(stack: TestStack, listingOverrides: Parameters<typeof aListing>[1] = {}) {
  const listing = await aListing(stack, listingOverrides);
  const [card] = await depositFresh(stack, listing.listingId, 1);
  const { order, orderId, buyerId } = await anOrder(stack, listing.listingId);
  await pay(stack, order);
  return { ...listing, card: card as { code: string; cardId: string }, order, orderId, buyerId };
}

/** A new tenant on the stack, and the stack calling as it (its own API key on every request). */
export async function aTenantOn(s: TestStack): Promise<{ tenantId: string; as: TestStack }> {
  const { tenant, apiKey } = await s.vault.tenants.create(unique('market'));
  const as: TestStack = {
    ...s,
    post: (path, body, headers) =>
      s.request('POST', path, {
        ...(body !== undefined ? { body } : {}),
        ...(headers ? { headers } : {}),
        apiKey,
      }),
    get: (path) => s.request('GET', path, { apiKey }),
  };
  return { tenantId: tenant.tenantId, as };
}

/** A revealed one-card order of a fresh seller, for a given buyer. */
export async function revealedFor(s: TestStack, buyerId = unique('buyer')) {
  const { listingId, sellerId } = await aListing(s);
  const [card] = await depositFresh(s, listingId, 1);
  const { order, orderId } = await anOrder(s, listingId, buyerId);
  await pay(s, order);
  const res = await reveal(s, orderId, buyerId);
  expect(res.status, res.text).toBe(200);
  return {
    orderId,
    buyerId,
    sellerId,
    card: card as { code: string; cardId: string },
    revealedAt: res.body.revealedAt as string,
  };
}
