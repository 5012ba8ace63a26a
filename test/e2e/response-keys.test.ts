import { beforeAll, describe, expect, it } from 'vitest';
import { type JsonSchema, undeclaredKeys } from '../support/declared-keys.js';
import { redeemAtIssuer, redeemAtTime, suspendDirectly } from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, mintCode, pay, reveal, unique } from '../support/scenario.js';
import { type HttpResult, useTestStack } from '../support/test-stack.js';

/**
 * Every key of every success body, at every level, is declared in the route's documented
 * response schema: a stored field the views do not name never reaches a marketplace.
 * The walk drives each operation into the states that fill its optional fields.
 */
const stack = useTestStack();

interface Doc {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>
  >;
  components: { schemas: Record<string, JsonSchema> };
}

let doc: Doc;
const checked: string[] = [];

/** Calls `template` (OpenAPI path) with `params` and asserts its body keys are all documented. */
async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  template: string,
  params: Record<string, string>,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `missing-${name}`);
  const res = await stack.current.request(method, `/v1${path}`, options);
  expect(res.status, res.text).toBeLessThan(300);
  if (res.status === 204) {
    // No content: nothing to publish, and nothing may be sent.
    expect(res.text).toBe('');
    checked.push(`${method} ${template}`);
    return res;
  }
  const response = doc.paths[`/v1${template}`]?.[method.toLowerCase()]?.responses[String(res.status)];
  const schema = response?.content?.['application/json']?.schema;
  expect(undeclaredKeys(res.body, schema, doc.components.schemas), `${method} ${template}`).toEqual([]);
  checked.push(`${method} ${template}`);
  return res;
}

describe('success responses', () => {
  beforeAll(async () => {
    doc = (await stack.current.request('GET', '/openapi.json', { apiKey: null })).body;
  });

  it('publish only keys their OpenAPI schema declares, on every operation', async () => {
    const s = stack.current;
    const sellerId = unique('seller');
    const buyerId = unique('buyer');
    const money = (amount: number) => ({ amount, currency: 'EUR' });

    const listing = await call(
      'POST',
      '/listings',
      {},
      {
        body: {
          sellerId,
          brand: 'demo-pin',
          faceValue: money(5000),
          price: money(4500),
          title: 'A gift card',
        },
      },
    );
    const listingId = listing.body.listingId as string;
    const minted: Array<{ code: string; pin?: string }> = [];
    for (let i = 0; i < 5; i++) {
      const { code, pin } = await mintCode(s, 5000, 'demo-pin');
      minted.push({ code, ...(pin !== undefined ? { pin } : {}) });
    }
    // The last one again: a rejected result carries its reason.
    const deposit = await call(
      'POST',
      '/listings/{listingId}/cards',
      { listingId },
      {
        body: { cards: [...minted, minted[0]] },
      },
    );
    const cardIds = (deposit.body.results as Array<{ cardId?: string }>).flatMap((r) => r.cardId ?? []);
    await call('GET', '/listings/{listingId}', { listingId });
    await call('DELETE', '/listings/{listingId}/cards/{cardId}', { listingId, cardId: cardIds[4] as string });

    const place = async () =>
      (
        await call(
          'POST',
          '/orders',
          {},
          {
            body: { listingId, buyerId },
            headers: { 'idempotency-key': unique('order') },
          },
        )
      ).body as {
        orderId: string;
        amount: { amount: number; currency: string };
        cards: Array<{ cardId: string }>;
      };
    const payFor = (order: { orderId: string; amount: unknown }, paymentRef = unique('pay')) =>
      call(
        'POST',
        '/orders/{orderId}/payment',
        { orderId: order.orderId },
        {
          body: { paymentRef, amount: order.amount },
        },
      );
    const revealOf = (orderId: string) =>
      call(
        'POST',
        '/orders/{orderId}/reveal',
        { orderId },
        {
          body: { buyerId },
          headers: { 'idempotency-key': unique('reveal') },
        },
      );
    const codeOf = (cardId: string) => minted[cardIds.indexOf(cardId)]?.code as string;

    // Revealed, reported as redeemed before the reveal: a refund and a penalty.
    const reported = await place();
    await payFor(reported);
    const revealed = await revealOf(reported.orderId);
    const reportedCard = reported.cards[0]?.cardId as string;
    await redeemAtTime(s, codeOf(reportedCard), Date.parse(revealed.body.revealedAt) - 60_000);
    await call(
      'POST',
      '/orders/{orderId}/reports',
      { orderId: reported.orderId },
      {
        body: { buyerId, cardId: reportedCard, reason: 'already_redeemed' },
      },
    );
    await call('GET', '/orders/{orderId}', { orderId: reported.orderId });
    await call('GET', '/orders/{orderId}/events', { orderId: reported.orderId });
    // The evidence of a reported order: its report, issuer checks and chained trail, every key declared.
    await call('GET', '/orders/{orderId}/evidence', { orderId: reported.orderId });
    await call('GET', '/evidence-keys', {});

    // Refunded before the reveal (a dead code), then paid again: a refund reason and a refund due.
    const dead = await place();
    await payFor(dead);
    await redeemAtIssuer(s, codeOf(dead.cards[0]?.cardId as string));
    const refused = await s.post(
      `/v1/orders/${dead.orderId}/reveal`,
      { buyerId },
      { 'idempotency-key': unique('r') },
    );
    expect(refused.status, refused.text).toBe(409);
    await s.post(`/v1/orders/${dead.orderId}/payment`, { paymentRef: unique('pay'), amount: dead.amount });
    await call('GET', '/orders/{orderId}', { orderId: dead.orderId });

    const cancelled = await place();
    await call('POST', '/orders/{orderId}/cancel', { orderId: cancelled.orderId });

    const confirmed = await place();
    await payFor(confirmed);
    await revealOf(confirmed.orderId);
    await call('POST', '/orders/{orderId}/confirm', { orderId: confirmed.orderId }, { body: { buyerId } });

    // Redeemed just after the reveal: escalated (race window), listed, then settled.
    const disputed = await place();
    await payFor(disputed);
    const disputedAt = (await revealOf(disputed.orderId)).body.revealedAt;
    const disputedCard = disputed.cards[0]?.cardId as string;
    await redeemAtTime(s, codeOf(disputedCard), Date.parse(disputedAt) + 10_000);
    const escalated = await s.post(`/v1/orders/${disputed.orderId}/reports`, {
      buyerId,
      cardId: disputedCard,
      reason: 'already_redeemed',
    });
    expect(escalated.body.decision, escalated.text).toBe('escalated');
    await call('GET', '/escalations', {});
    await call(
      'POST',
      '/escalations/{reportId}/settle',
      { reportId: escalated.body.reportId },
      { body: { outcome: 'refund_without_penalty', note: 'shop log', decidedBy: 'agent-1' } },
    );

    await call('GET', '/sellers/{sellerId}', { sellerId });
    await call('GET', '/buyers/{buyerId}', { buyerId });
    const suspended = unique('seller');
    await suspendDirectly(s, suspended);
    await call(
      'POST',
      '/sellers/{sellerId}/reinstate',
      { sellerId: suspended },
      {
        body: { note: 'verified', decidedBy: 'ops-1' },
      },
    );
    await call('GET', '/sellers/{sellerId}/events', { sellerId: suspended });
    // A seller whose budget of rejected codes is spent (codes the issuer never issued), unlocked.
    const guesser = await aListing(s);
    const guesses = Array.from({ length: 20 }, (_, i) => ({ code: `DEMOKEYS${String(i).padStart(8, '0')}` }));
    expect((await s.post(`/v1/listings/${guesser.listingId}/cards`, { cards: guesses })).status).toBe(200);
    await call(
      'POST',
      '/sellers/{sellerId}/unlock-deposits',
      { sellerId: guesser.sellerId },
      { body: { note: 'spoke with the seller', decidedBy: 'ops-1' } },
    );
    // A seller under review (two buyers' cards redeemed 5 minutes after their reveals), cleared.
    const reviewed = await aListing(s);
    const reviewedCards = await depositFresh(s, reviewed.listingId, 2);
    for (let i = 0; i < 2; i++) {
      const sale = await anOrder(s, reviewed.listingId);
      await pay(s, sale.order);
      const shown = await reveal(s, sale.orderId, sale.buyerId);
      const cardId = shown.body.cards[0].cardId as string;
      const code = reviewedCards.find((c) => c.cardId === cardId)?.code as string;
      await redeemAtTime(s, code, Date.parse(shown.body.revealedAt) + 300_000);
      const res = await s.post(`/v1/orders/${sale.orderId}/reports`, {
        buyerId: sale.buyerId,
        cardId,
        reason: 'already_redeemed',
      });
      expect(res.status, res.text).toBe(201);
    }
    await call('GET', '/escalations', {});
    await call(
      'POST',
      '/sellers/{sellerId}/review',
      { sellerId: reviewed.sellerId },
      { body: { outcome: 'cleared', note: 'the buyers redeemed them', decidedBy: 'desk-1' } },
    );

    // Webhook endpoints: registered with a description, rolled (two secrets listed), disabled.
    const endpoint = await call(
      'POST',
      '/webhook-endpoints',
      {},
      { body: { url: 'https://hooks.example.com/cv', eventTypes: ['order.paid'], description: 'orders' } },
    );
    const endpointId = endpoint.body.endpointId as string;
    await call('POST', '/webhook-endpoints/{endpointId}/roll-secret', { endpointId });
    await call('PATCH', '/webhook-endpoints/{endpointId}', { endpointId }, { body: { status: 'disabled' } });
    await call('GET', '/webhook-endpoints/{endpointId}', { endpointId });
    await call('GET', '/webhook-endpoints', {});
    await call('GET', '/webhook-endpoints/{endpointId}/deliveries', { endpointId });
    await call('DELETE', '/webhook-endpoints/{endpointId}', { endpointId });

    // Hosted links: a reveal link with a logo, a deposit link, read and revoked.
    const revealLink = await call(
      'POST',
      '/orders/{orderId}/reveal-links',
      { orderId: confirmed.orderId },
      { body: { buyerId, expiresInSeconds: 600, logoUrl: 'https://market.example/logo.png' } },
    );
    await call('POST', '/listings/{listingId}/deposit-links', { listingId }, { body: { sellerId } });
    await call('GET', '/links/{linkId}', { linkId: revealLink.body.linkId });
    await call('DELETE', '/links/{linkId}', { linkId: revealLink.body.linkId });
    await call('GET', '/links', {});

    // API keys: made with a description, listed (with lastUsedAt once used), revoked with what it made.
    const key = await call('POST', '/api-keys', {}, { body: { scopes: ['read'], description: 'reports' } });
    await s.request('GET', '/v1/api-keys', { apiKey: key.body.key });
    await call('GET', '/api-keys', {});
    await call('DELETE', '/api-keys/{keyId}', { keyId: key.body.keyId });

    const health = await s.request('GET', '/health', { apiKey: null });
    const healthSchema = doc.paths['/health']?.get?.responses['200']?.content?.['application/json']?.schema;
    expect(undeclaredKeys(health.body, healthSchema, doc.components.schemas), 'GET /health').toEqual([]);
    checked.push('GET /health');

    // Every documented operation was walked.
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/^\/v1/, '')}`),
    );
    // send-again needs a finished delivery, so a stack that delivers: webhooks-delivery.test.ts.
    const elsewhere = (op: string) => op.endsWith('/openapi.json') || op.endsWith('/send-again');
    expect(new Set(checked)).toEqual(new Set(documented.filter((op) => !elsewhere(op))));
  }, 60_000);
});
