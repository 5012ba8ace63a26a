import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../client/index.js';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { tenantsWithWebhookEndpoints } from '../../shared/adapters/dynamodb/webhook-endpoint-tenants.js';
import type { WebhookEndpoint } from '../../shared/domain/webhook-endpoint.js';
import { eventsOf } from '../support/fraud-helpers.js';
import { aListing, anOrder, aTenantOn, depositFresh, unique } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';
import { eventually, startReceiver } from '../support/webhook-receiver.js';

/**
 * Issue 20 item 3: nothing stored lets its reader sign a webhook. The whole table is scanned
 * after endpoints are registered and rolled through the API: no secret shown, and no `whsec_`,
 * is in it, while deliveries still verify with the secrets shown at registration and roll.
 * Endpoints stored in the clear by an older vault keep signing and are sealed by a change or by
 * the one-off task (`sealClearSecrets`, `npm run webhooks:seal-secrets`).
 */
const stack = useTestStack(
  { WEBHOOK_ENDPOINT_CACHE_SECONDS: '0', WEBHOOK_DISPATCH_INTERVAL_MS: '50', WEBHOOK_TIMEOUT_MS: '1000' },
  { webhooks: true },
);
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let doc: ReturnType<typeof createDynamoClients>['doc'];
let destroy: () => void;

beforeAll(async () => {
  receiver = await startReceiver();
  const clients = createDynamoClients({ endpoint: stack.current.dynamodbEndpoint });
  doc = clients.doc;
  destroy = () => clients.client.destroy();
});
afterAll(async () => {
  await receiver?.close();
  destroy?.();
});

/** Every item of the stack's table (its own table: only this file's data), as one JSON text. */
async function tableText(): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: stack.current.tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

/** An order placed on a fresh listing: its `order.placed` goes to the tenant's endpoints. */
async function placeAnOrder(as: TestStack): Promise<string> {
  const { listingId } = await aListing(as);
  await depositFresh(as, listingId, 1);
  const { orderId } = await anOrder(as, listingId);
  const [placed] = await eventsOf(as, orderId);
  return (placed as { eventId: string }).eventId;
}

/** The delivery of `eventId` to `path`, as the receiver got it. */
async function deliveryOf(path: string, eventId: string) {
  return eventually(`the delivery of ${eventId}`, () =>
    receiver.received(path).find((r) => (JSON.parse(r.body) as { id: string }).id === eventId),
  );
}

describe('webhook signing secrets at rest', () => {
  it('a table scan after registering and rolling endpoints finds no secret and no whsec_, and deliveries verify with the secrets shown', async () => {
    const { as } = await aTenantOn(stack.current);
    const path = `/${unique('sealed')}`;
    const created = await as.post('/v1/webhook-endpoints', {
      url: receiver.url(path),
      eventTypes: ['order.placed'],
    });
    expect(created.status, created.text).toBe(201);
    const { endpointId, secret: first } = created.body as { endpointId: string; secret: string };
    const other = await as.post('/v1/webhook-endpoints', { url: receiver.url('/other'), eventTypes: ['*'] });
    expect(other.status, other.text).toBe(201);

    const before = await deliveryOf(path, await placeAnOrder(as));
    expect(verifyWebhook(before.body, before.signature, first)).toMatchObject({ type: 'order.placed' });

    const rolled = await as.post(`/v1/webhook-endpoints/${endpointId}/roll-secret`);
    expect(rolled.status, rolled.text).toBe(200);
    const second = rolled.body.secret as string;
    const again = await as.post(`/v1/webhook-endpoints/${endpointId}/roll-secret`);
    expect(again.status, again.text).toBe(200);
    const third = again.body.secret as string;

    const shown = [first, second, third, other.body.secret as string];
    const text = await tableText();
    for (const secret of shown) expect(text).not.toContain(secret);
    expect(text).not.toContain('whsec_');
    // The base64url body of a secret is not stored either (only its last 4 characters are).
    for (const secret of shown) expect(text).not.toContain(secret.slice('whsec_'.length, -4));
    expect(text).toContain('"sealed"');

    // During the overlap every secret shown signs the delivery, each on its own.
    const after = await deliveryOf(path, await placeAnOrder(as));
    expect(after.signature?.match(/v1=/g)).toHaveLength(3);
    for (const secret of [first, second, third]) {
      expect(verifyWebhook(after.body, after.signature, secret)).toMatchObject({ type: 'order.placed' });
    }
    expect(() => verifyWebhook(after.body, after.signature, `whsec_${'A'.repeat(43)}`)).toThrow();
    // The API still shows each secret's last 4 characters, newest first.
    const read = await as.get(`/v1/webhook-endpoints/${endpointId}`);
    expect(read.body.secrets.map((s: { last4: string }) => s.last4)).toEqual(
      [third, second, first].map((s) => s.slice(-4)),
    );
  });

  it('keeps signing with a secret an older vault stored in the clear, and seals it on a change or with the one-off task', async () => {
    const { tenantId, as } = await aTenantOn(stack.current);
    const store = new DynamoWebhookEndpointStore({ doc, tableName: stack.current.tableName });
    const at = new Date().toISOString();
    const legacy = (path: string): WebhookEndpoint => ({
      tenantId,
      endpointId: unique('whk'),
      url: receiver.url(path),
      eventTypes: ['order.placed'],
      status: 'enabled',
      secrets: [{ secret: `whsec_${unique('legacy')}`, createdAt: at }],
      createdAt: at,
      consecutiveFailures: 0,
    });
    const changed = legacy(`/${unique('changed')}`);
    const untouched = legacy(`/${unique('untouched')}`);
    await store.create(changed);
    await store.create(untouched);
    const clearOf = (e: WebhookEndpoint) => (e.secrets[0] as { secret: string }).secret;

    const beforeEvent = await placeAnOrder(as);
    for (const e of [changed, untouched]) {
      const got = await deliveryOf(new URL(e.url).pathname, beforeEvent);
      expect(verifyWebhook(got.body, got.signature, clearOf(e))).toMatchObject({ type: 'order.placed' });
    }

    // Any change seals it; the task seals the rest.
    const patched = await stack.current.vault.webhookEndpoints.update(tenantId, changed.endpointId, {
      description: 'changed after the upgrade',
    });
    expect(patched.secrets).toEqual([
      { sealed: expect.any(String), last4: clearOf(changed).slice(-4), createdAt: changed.createdAt },
    ]);
    expect(await tableText()).toContain(clearOf(untouched));
    expect(await tableText()).not.toContain(clearOf(changed));
    // The task finds the tenant by its endpoints, then seals what is left.
    expect(await tenantsWithWebhookEndpoints({ doc, tableName: stack.current.tableName })).toContain(
      tenantId,
    );
    expect(await stack.current.vault.webhookEndpoints.sealClearSecrets(tenantId)).toBe(1);
    expect(await stack.current.vault.webhookEndpoints.sealClearSecrets(tenantId)).toBe(0);
    const text = await tableText();
    expect(text).not.toContain('whsec_');

    // The secrets the tenant was given at the time still verify.
    const afterEvent = await placeAnOrder(as);
    for (const e of [changed, untouched]) {
      const got = await deliveryOf(new URL(e.url).pathname, afterEvent);
      expect(verifyWebhook(got.body, got.signature, clearOf(e))).toMatchObject({ type: 'order.placed' });
    }
  });
});
