import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardVaultClient, CardVaultProblem } from '../../client/index.js';
import { mintCode, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * The typed client against the local stack: a whole sale, problems as typed errors, and its
 * retries, through a real HTTP proxy that can answer 503 or 409 before passing requests on.
 */
const stack = useTestStack();

/** Forwards to the stack; `failNext` answers the next requests itself. */
let proxy: Server;
let proxyUrl: string;
const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
const failNext: Array<{ status: number; code: string; retryAfter?: string }> = [];

beforeAll(async () => {
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const failure = failNext.shift();
    if (failure) {
      res.writeHead(failure.status, {
        'content-type': 'application/problem+json',
        ...(failure.retryAfter ? { 'retry-after': failure.retryAfter } : {}),
      });
      res.end(
        JSON.stringify({
          type: `https://card-vault.example/problems/${failure.code}`,
          title: failure.code,
          status: failure.status,
        }),
      );
      return;
    }
    const upstream = await fetch(`${stack.current.apiUrl}${req.url}`, {
      method: req.method ?? 'GET',
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'connection',
        ),
      ) as Record<string, string>,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

const client = () =>
  new CardVaultClient({ baseUrl: proxyUrl, apiKey: stack.current.devApiKey, maxRetryDelayMs: 50 });
const money = (amount: number) => ({ amount, currency: 'EUR' });

describe('CardVaultClient', () => {
  it('walks a whole sale: listing, deposit, order, payment, reveal, confirm, trail', async () => {
    const vault = client();
    const sellerId = unique('seller');
    const buyerId = unique('buyer');
    const listing = await vault.createListing({
      sellerId,
      brand: 'demo-gift',
      faceValue: money(5000),
      price: money(4500),
    });
    const { code } = await mintCode(stack.current, 5000);
    const deposit = await vault.depositCards({ listingId: listing.listingId }, { cards: [{ code }] });
    expect(deposit.results.map((r) => r.outcome)).toEqual(['accepted']);
    const order = await vault.placeOrder({ listingId: listing.listingId, buyerId });
    expect(order.state).toBe('pending_payment');
    await vault.recordPayment({ orderId: order.orderId }, { paymentRef: unique('pay'), amount: money(4500) });
    const revealed = await vault.revealOrder({ orderId: order.orderId }, { buyerId });
    expect(revealed.cards.map((c) => c.code)).toEqual([code.replace(/-/g, '')]);
    const released = await vault.confirmOrder({ orderId: order.orderId }, { buyerId });
    expect(released.state).toBe('released');
    const trail = await vault.listOrderEvents({ orderId: order.orderId });
    expect(trail.events.map((e) => e.type)).toContain('order.released');
    // Orders and reveals got an Idempotency-Key without asking; the others none.
    const keyed = seen.filter((r) => r.headers['idempotency-key']).map((r) => r.url);
    expect(keyed).toEqual([`/v1/orders`, `/v1/orders/${order.orderId}/reveal`]);
  });

  it('throws a CardVaultProblem with the typed code and the problem document', async () => {
    const vault = client();
    const error = await vault.getOrder({ orderId: `ord_${'0'.repeat(26)}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardVaultProblem);
    expect(error).toMatchObject({ status: 404, code: 'not-found' });
    expect((error as CardVaultProblem).problem.instance).toMatch(/^urn:uuid:/);
  });

  it('retries a 503 of an order with the same Idempotency-Key, following Retry-After', async () => {
    const vault = client();
    const listing = await vault.createListing({
      sellerId: unique('seller'),
      brand: 'demo-gift',
      faceValue: money(5000),
      price: money(4500),
    });
    const { code } = await mintCode(stack.current, 5000);
    await vault.depositCards({ listingId: listing.listingId }, { cards: [{ code }] });
    seen.length = 0;
    failNext.push(
      { status: 503, code: 'dependency-unavailable', retryAfter: '0' },
      { status: 409, code: 'concurrent-update', retryAfter: '0' },
    );
    const order = await vault.placeOrder({ listingId: listing.listingId, buyerId: unique('buyer') });
    expect(order.state).toBe('pending_payment');
    expect(seen).toHaveLength(3);
    const keys = new Set(seen.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
  });

  it('does not repeat a request without an Idempotency-Key after a 503 (it may have committed)', async () => {
    seen.length = 0;
    failNext.push({ status: 503, code: 'dependency-unavailable', retryAfter: '0' });
    const error = await client()
      .createListing({
        sellerId: unique('seller'),
        brand: 'demo-gift',
        faceValue: money(5000),
        price: money(4500),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'dependency-unavailable', retryAfterSeconds: 0 });
    expect(seen).toHaveLength(1);
  });

  it('gives up after maxRetries and throws the last problem', async () => {
    seen.length = 0;
    for (let i = 0; i < 5; i++)
      failNext.push({ status: 503, code: 'dependency-unavailable', retryAfter: '0' });
    const vault = new CardVaultClient({ baseUrl: proxyUrl, apiKey: stack.current.devApiKey, maxRetries: 2 });
    const error = await vault.getSeller({ sellerId: unique('s') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'dependency-unavailable' });
    expect(seen).toHaveLength(3);
    failNext.length = 0;
  });
});
