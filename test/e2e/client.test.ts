import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CardVaultClient,
  CardVaultConnectionError,
  CardVaultProblem,
  CardVaultTimeoutError,
  isProblem,
} from '../../client/index.js';
import { normalizeCode } from '../../shared/domain/brand.js';
import { aPaidOrder, mintCode, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * The typed client against the local stack: a whole sale, problems as typed errors, and its
 * retries, through a real HTTP proxy that can answer 503 or 409 before passing requests on.
 */
const stack = useTestStack();

/**
 * Forwards to the stack; `failNext` answers the next requests itself; `loseNext` forwards the
 * next requests and then cuts the connection instead of answering (the vault committed, the
 * answer was lost); `gatewayPage` answers the next request with an HTML error page.
 */
let proxy: Server;
let proxyUrl: string;
const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
const failNext: Array<{ status: number; code: string; retryAfter?: string }> = [];
let loseNext = 0;
let gatewayPage: number | undefined;

beforeAll(async () => {
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (gatewayPage !== undefined) {
      res.writeHead(gatewayPage, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
      gatewayPage = undefined;
      return;
    }
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
    if (loseNext > 0) {
      loseNext -= 1;
      await upstream.arrayBuffer();
      req.socket.destroy();
      return;
    }
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

  it('narrows a problem with isProblem, and types the problem document', async () => {
    const error = await client()
      .getOrder({ orderId: `ord_${'0'.repeat(26)}` })
      .catch((e: unknown) => e);
    expect(isProblem(error, 'not-found')).toBe(true);
    expect(isProblem(error, 'out-of-stock', 'order-expired')).toBe(false);
    expect(isProblem(new Error('not-found'), 'not-found')).toBe(false);
    if (!isProblem(error, 'not-found')) throw error;
    const code: 'not-found' = error.code;
    const instance: string | undefined = error.problem.instance;
    expect([code, instance]).toEqual(['not-found', expect.stringMatching(/^urn:uuid:/)]);
  });

  it('gets the codes when the application repeats a reveal whose answer was lost (stable Idempotency-Key)', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const once = new CardVaultClient({ baseUrl: proxyUrl, apiKey: stack.current.devApiKey, maxRetries: 0 });
    seen.length = 0;
    loseNext = 1;
    const lost = await once.revealOrder({ orderId }, { buyerId }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(CardVaultConnectionError);
    // The vault revealed (and committed) the first time; a new call with a new key would be refused.
    const again = await once.revealOrder({ orderId }, { buyerId });
    expect(again.cards.map((c) => c.code)).toEqual([normalizeCode(card.code)]);
    const keys = seen.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    // The client's own retry after a lost answer gets them too.
    const retried = await aPaidOrder(stack.current);
    loseNext = 1;
    const revealed = await client().revealOrder({ orderId: retried.orderId }, { buyerId: retried.buyerId });
    expect(revealed.cards.map((c) => c.code)).toEqual([normalizeCode(retried.card.code)]);
    // A caller's own key still wins.
    const third = await aPaidOrder(stack.current);
    seen.length = 0;
    await client().revealOrder(
      { orderId: third.orderId },
      { buyerId: third.buyerId },
      { idempotencyKey: 'mine-1' },
    );
    expect(seen.map((r) => r.headers['idempotency-key'])).toEqual(['mine-1']);
  });

  it('throws CardVaultConnectionError for a refused connection and for a gateway page, not a TypeError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await new CardVaultClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: stack.current.devApiKey,
      maxRetries: 1,
      maxRetryDelayMs: 10,
    })
      .getSeller({ sellerId: unique('s') })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CardVaultConnectionError);
    expect(String((refused as Error).message)).toContain('ECONNREFUSED');

    gatewayPage = 400;
    const page = await client()
      .getSeller({ sellerId: unique('s') })
      .catch((e: unknown) => e);
    expect(page).toBeInstanceOf(CardVaultConnectionError);
    expect(page).toMatchObject({ status: 400 });
  });

  it('abandons an attempt after timeoutMs with CardVaultTimeoutError', async () => {
    const hung = createServer(() => {});
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const started = Date.now();
    const error = await new CardVaultClient({
      baseUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`,
      apiKey: stack.current.devApiKey,
      timeoutMs: 200,
      maxRetries: 1,
      maxRetryDelayMs: 10,
    })
      .getSeller({ sellerId: unique('s') })
      .catch((e: unknown) => e);
    hung.closeAllConnections();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    expect(error).toBeInstanceOf(CardVaultTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('pages a whole list with for await, one page per limit', async () => {
    const { orderId } = await aPaidOrder(stack.current);
    seen.length = 0;
    const types: string[] = [];
    for await (const event of client().listOrderEventsAll({ orderId }, { limit: 1 })) types.push(event.type);
    const pages = seen.filter((r) => r.url.includes('/events')).length;
    const all = await client().listOrderEvents({ orderId });
    expect(types).toEqual(all.events.map((e) => e.type));
    expect(types.length).toBeGreaterThan(1);
    // One request per page of one (and perhaps an empty last one): pages are asked for as used.
    expect(pages).toBeGreaterThanOrEqual(types.length);
    expect(pages).toBeLessThanOrEqual(types.length + 1);
  });
});
