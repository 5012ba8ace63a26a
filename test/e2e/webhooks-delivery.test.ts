import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookSignatureError } from '../../client/index.js';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { trailLinesOf } from '../../shared/adapters/dynamodb/stream-trail-lines.js';
import { queryPrefix } from '../../shared/adapters/dynamodb/table-context.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { isClearSecret, rollSecret, type WebhookEndpoint } from '../../shared/domain/webhook-endpoint.js';
import { webhookEventsOf } from '../../shared/domain/webhook-event.js';
import { eventsOf, findCodes } from '../support/fraud-helpers.js';
import { aListing, anOrder, aTenantOn, depositFresh, pay, reveal, unique } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';
import { eventually, type Received, startReceiver } from '../support/webhook-receiver.js';

// Backoff of 0.2 s doubling, endpoints read afresh at every attempt, a dispatcher tick every 50 ms.
const stack = useTestStack(
  {
    WEBHOOK_RETRY_BASE_SECONDS: '0.2',
    WEBHOOK_ENDPOINT_CACHE_SECONDS: '0',
    WEBHOOK_DISPATCH_INTERVAL_MS: '50',
    WEBHOOK_TIMEOUT_MS: '1000',
  },
  { webhooks: true },
);
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let endpoints: DynamoWebhookEndpointStore;
let deliveries: DynamoWebhookDeliveryStore;
let destroy: () => void;

beforeAll(async () => {
  receiver = await startReceiver();
  const { client, doc } = createDynamoClients({ endpoint: stack.current.dynamodbEndpoint });
  destroy = () => client.destroy();
  const ctx = { doc, tableName: stack.current.tableName };
  endpoints = new DynamoWebhookEndpointStore(ctx);
  deliveries = new DynamoWebhookDeliveryStore(ctx);
});
afterAll(async () => {
  await receiver?.close();
  destroy?.();
});

/** A tenant of its own per test (its endpoints see only its sales), and the stack calling as it. */
const aTenant = () => aTenantOn(stack.current);

/** An order placed on a fresh listing of the tenant: its first trail line is `order.placed`. */
async function aPlacedOrder(as: TestStack) {
  const { listingId } = await aListing(as);
  await depositFresh(as, listingId, 1);
  const { orderId } = await anOrder(as, listingId);
  return { orderId, placedId: eventIdOf((await eventsOf(as, orderId))[0]) };
}

async function anEndpoint(tenantId: string, path: string, overrides: Partial<WebhookEndpoint> = {}) {
  const endpoint: WebhookEndpoint = {
    tenantId,
    endpointId: unique('whk'),
    url: receiver.url(path),
    eventTypes: ['*'],
    status: 'enabled',
    secrets: [{ secret: `whsec_${unique('s')}`, createdAt: new Date().toISOString() }],
    createdAt: new Date().toISOString(),
    consecutiveFailures: 0,
    ...overrides,
  };
  await endpoints.create(endpoint);
  return endpoint;
}

/** A whole sale: placed, paid, revealed, confirmed (and so released). */
async function aSale(as: TestStack) {
  const { listingId } = await aListing(as);
  const cards = await depositFresh(as, listingId, 1);
  const { order, orderId, buyerId } = await anOrder(as, listingId);
  await pay(as, order);
  expect((await reveal(as, orderId, buyerId)).status).toBe(200);
  const confirmed = await as.post(`/v1/orders/${orderId}/confirm`, { buyerId });
  expect(confirmed.status, confirmed.text).toBe(200);
  // What the order's trail publishes: the buyer's release is order.confirmed, then order.released.
  const trail = (await eventsOf(as, orderId)).flatMap((line) => webhookEventsOf('t', { ...line, orderId }));
  return { orderId, codes: cards.map((c) => c.code), trail };
}

/** The endpoints stored here directly carry a clear secret, as items written before issue 20 do. */
const clearSecretOf = (endpoint: WebhookEndpoint) => {
  const [newest] = endpoint.secrets;
  return newest && isClearSecret(newest) ? newest.secret : '';
};
const ids = (got: readonly Received[]) => got.map((r) => (JSON.parse(r.body) as { id: string }).id);
const eventIdOf = (e: { eventId?: string; id?: string }) => (e.eventId ?? e.id) as string;

describe('webhook delivery (stream -> fan-out -> dispatcher -> receiver)', () => {
  it('delivers every event of a whole sale, signed, in trail order, without a code in any payload', async () => {
    const { tenantId, as } = await aTenant();
    const endpoint = await anEndpoint(tenantId, '/sale');
    const { orderId, codes, trail } = await aSale(as);
    expect(trail.map((e) => e.type)).toEqual([
      'order.placed',
      'order.paid',
      'order.revealed',
      'order.confirmed',
      'order.released',
    ]);

    const got = await eventually('five events', () => {
      const r = receiver.received('/sale');
      return r.length >= trail.length ? r : undefined;
    });
    expect(ids(got)).toEqual(trail.map(eventIdOf));
    for (const r of got) {
      const event = verifyWebhook(r.body, r.signature, clearSecretOf(endpoint)) as {
        tenant: string;
        data: { orderId: string };
      };
      expect(event.tenant).toBe(tenantId);
      expect(event.data.orderId).toBe(orderId);
      expect(findCodes(r.body, codes)).toEqual([]);
      expect(r.body).not.toMatch(/ciphertext|fingerprint|"pin"|"code"/i);
    }
  });

  it("has the client's verifyWebhook accept a real delivery and refuse it changed, under a wrong secret, or stale", async () => {
    const { tenantId, as } = await aTenant();
    const secret = `whsec_${unique('s')}`;
    await anEndpoint(tenantId, '/verify', {
      eventTypes: ['order.placed'],
      secrets: [{ secret, createdAt: new Date().toISOString() }],
    });
    const { placedId } = await aPlacedOrder(as);
    const [got] = await eventually('the placed event', () => {
      const r = receiver.received('/verify');
      return r.length > 0 ? r : undefined;
    });
    const { body, signature } = got as Received;
    const signedAt = Number(/(?:^|,)t=(\d+)/.exec(signature ?? '')?.[1]);
    expect(Number.isInteger(signedAt)).toBe(true);

    expect(verifyWebhook(body, signature, secret)).toMatchObject({ id: placedId, type: 'order.placed' });
    // The edges of the tolerance are still accepted, either side of the signing time.
    expect(verifyWebhook(body, signature, secret, 300, signedAt + 300)).toMatchObject({ id: placedId });
    expect(verifyWebhook(body, signature, secret, 300, signedAt - 300)).toMatchObject({ id: placedId });

    const refuses = (what: string, verify: () => unknown, reason: RegExp) => {
      expect(verify, what).toThrow(WebhookSignatureError);
      expect(verify, what).toThrow(reason);
    };
    // One byte changed anywhere in the body: its first, a middle one, its last.
    const flip = (at: number) =>
      `${body.slice(0, at)}${String.fromCharCode(body.charCodeAt(at) ^ 1)}${body.slice(at + 1)}`;
    for (const at of [0, Math.floor(body.length / 2), body.length - 1]) {
      refuses(`byte ${at} changed`, () => verifyWebhook(flip(at), signature, secret), /no signature matches/);
    }
    refuses('a wrong secret', () => verifyWebhook(body, signature, `${secret}x`), /no signature matches/);
    refuses(
      'past the tolerance',
      () => verifyWebhook(body, signature, secret, 300, signedAt + 301),
      /tolerance/,
    );
    refuses(
      'a shorter tolerance',
      () => verifyWebhook(body, signature, secret, 10, signedAt + 11),
      /tolerance/,
    );
    refuses(
      'signed in the future',
      () => verifyWebhook(body, signature, secret, 300, signedAt - 301),
      /tolerance/,
    );
  });

  it('gets an event to a receiver that answers 500 three times on its fourth attempt, each attempt recorded', async () => {
    const { tenantId, as } = await aTenant();
    receiver.behave('/flaky', [500, 500, 500, 200]);
    const endpoint = await anEndpoint(tenantId, '/flaky', { eventTypes: ['order.placed'] });
    const { placedId } = await aPlacedOrder(as);

    const delivered = await eventually('the delivery delivered', async () => {
      const d = await deliveries.get(tenantId, endpoint.endpointId, placedId);
      return d?.state === 'delivered' ? d : undefined;
    });
    expect(delivered.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(delivered.attempts.slice(0, 3).every((a) => a.nextAttemptAt !== undefined)).toBe(true);
    expect(delivered.attempts.every((a) => a.latencyMs >= 0 && a.at !== undefined)).toBe(true);
    expect(ids(receiver.received('/flaky'))).toEqual([placedId, placedId, placedId, placedId]);
  });

  it('lets a dead and a hanging endpoint delay nothing for a healthy one', async () => {
    const { tenantId, as } = await aTenant();
    receiver.behave('/hang', 'hang');
    const healthy = await anEndpoint(tenantId, '/healthy');
    const hanging = await anEndpoint(tenantId, '/hang');
    // Nothing listens on port 9 of 127.0.0.1 here (discard): refused at once.
    const dead = await anEndpoint(tenantId, '/dead', { url: 'http://127.0.0.1:9/dead' });
    const { trail } = await aSale(as);

    const got = await eventually('the healthy endpoint to get all five', () => {
      const r = receiver.received('/healthy');
      return r.length >= trail.length ? r : undefined;
    });
    expect(ids(got)).toEqual(trail.map(eventIdOf));
    // The other two are still on their first event (the rest wait behind it, in order).
    const first = trail[0]?.id as string;
    for (const slow of [hanging, dead]) {
      const page = await deliveries.listByEndpoint(tenantId, slow.endpointId, { limit: 10 });
      expect(page.deliveries.every((d) => d.state !== 'delivered')).toBe(true);
      const states = new Map(page.deliveries.map((d) => [d.eventId, d.state]));
      expect(states.get(first)).toBe('pending');
    }
    expect(new Set(ids(receiver.received('/hang')))).toEqual(new Set([first]));
    expect(healthy.endpointId).toBeDefined();
  });

  it('writes no second delivery when the stream hands the same records again', async () => {
    const { tenantId, as } = await aTenant();
    const endpoint = await anEndpoint(tenantId, '/once');
    const { orderId, trail } = await aSale(as);
    await eventually('five events', () => (receiver.received('/once').length >= 5 ? true : undefined));

    // The same INSERT records as the stream carried them, handed to the fan-out again.
    const { doc } = createDynamoClients({ endpoint: s().dynamodbEndpoint });
    const { pk, skPrefix } = keys.eventsOf(tenantId, orderId);
    const items = await queryPrefix({ doc, tableName: s().tableName }, pk, skPrefix);
    const records = items.map((item) => ({ eventName: 'INSERT', dynamodb: { NewImage: marshall(item) } }));
    const { lines } = trailLinesOf(records);
    const result = await s().webhooks?.fanOut.handle(lines);
    expect(result).toMatchObject({ events: trail.length, queued: 0, duplicates: trail.length });

    const page = await deliveries.listByEndpoint(tenantId, endpoint.endpointId, { limit: 50 });
    expect(page.deliveries.map((d) => d.eventId)).toEqual(trail.map(eventIdOf).reverse());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ids(receiver.received('/once'))).toEqual(trail.map(eventIdOf));
  });

  it('signs with both secrets while a rolled one is in its overlap', async () => {
    const { tenantId, as } = await aTenant();
    const endpoint = await anEndpoint(tenantId, '/rolled', { eventTypes: ['order.placed'] });
    const rolled = rollSecret(endpoint, { secret: 'whsec_new_one' }, new Date());
    expect(await endpoints.replace(rolled)).toBe(true);
    await aPlacedOrder(as);
    const [got] = await eventually('the placed event', () => {
      const r = receiver.received('/rolled');
      return r.length > 0 ? r : undefined;
    });
    expect(got?.signature?.match(/v1=/g)).toHaveLength(2);
    for (const secret of ['whsec_new_one', clearSecretOf(endpoint)]) {
      expect(verifyWebhook(got?.body ?? '', got?.signature, secret)).toMatchObject({ type: 'order.placed' });
    }
  });

  it('sends a delivered event again on request, and lists it with both attempts, over the API', async () => {
    const { tenantId, as } = await aTenant();
    const endpoint = await anEndpoint(tenantId, '/again', {
      eventTypes: ['order.placed'],
      endpointId: ulidIdGenerator.next('whk', new Date()),
    });
    const base = `/v1/webhook-endpoints/${endpoint.endpointId}/deliveries`;
    await aPlacedOrder(as);
    const [first] = await eventually('the placed event', () => {
      const r = receiver.received('/again');
      return r.length > 0 ? r : undefined;
    });
    const eventId = ids([first as Received])[0] as string;
    await eventually('delivered', async () =>
      (await deliveries.get(tenantId, endpoint.endpointId, eventId))?.state === 'delivered'
        ? true
        : undefined,
    );
    const again = await as.post(`${base}/${eventId}/send-again`);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ eventId, state: 'pending', resend: true });
    await eventually('the second copy', () => (receiver.received('/again').length >= 2 ? true : undefined));
    const listed = await eventually('listed as delivered twice', async () => {
      const page = await as.get(base);
      const d = page.body.deliveries?.[0];
      return d?.state === 'delivered' && d.attempts.length === 2 ? page : undefined;
    });
    expect(listed.body.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([eventId]);
    expect(listed.body.deliveries[0].attempts.map((a: { status: number }) => a.status)).toEqual([200, 200]);
    expect(JSON.parse(listed.body.deliveries[0].payload)).toMatchObject({
      id: eventId,
      type: 'order.placed',
    });
    expect(ids(receiver.received('/again'))).toEqual([eventId, eventId]);

    // Another tenant sees none of it; a bad cursor is a validation problem, not a lookup.
    const other = await aTenant();
    expect((await other.as.get(base)).status).toBe(404);
    expect((await as.get(`${base}?cursor=not-an-id`)).status).toBe(400);
    expect((await as.post(`${base}/evt_${'0'.repeat(26)}/send-again`)).status).toBe(404);
  });
});

function s() {
  return stack.current;
}
