import { describe, expect, it } from 'vitest';
import {
  DynamoWebhookEndpointStore,
  WebhookEndpointExistsError,
} from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import {
  isClearSecret,
  rollSecret,
  type SigningSecret,
  signingSecrets,
  type WebhookEndpoint,
} from '../../shared/domain/webhook-endpoint.js';

/** Which secret each entry is: the clear ones of items written before issue 20, or the ciphertext. */
const plain = (secrets: readonly SigningSecret[]) =>
  secrets.map((s) => (isClearSecret(s) ? s.secret : s.sealed));

import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';

const table = useTestTable();
const store = new DynamoWebhookEndpointStore({ doc: table.doc, tableName: table.tableName });

function anEndpoint(overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    tenantId: uniqueId('tenant'),
    endpointId: uniqueId('whk'),
    url: 'https://hooks.example.com/card-vault',
    eventTypes: ['*'],
    status: 'enabled',
    secrets: [{ secret: 'whsec_first', createdAt: '2026-01-01T00:00:00.000Z' }],
    createdAt: '2026-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    ...overrides,
  };
}

describe('DynamoWebhookEndpointStore', () => {
  it('stores, reads back and lists a tenant’s endpoints, and no other tenant’s', async () => {
    const first = anEndpoint({ eventTypes: ['order.paid', 'order.refunded'] });
    const second = anEndpoint({ tenantId: first.tenantId });
    const otherTenant = anEndpoint();
    for (const e of [first, second, otherTenant]) await store.create(e);

    expect(await store.get(first.tenantId, first.endpointId)).toEqual(first);
    expect(await store.get(otherTenant.tenantId, first.endpointId)).toBeUndefined();
    const listed = await store.list(first.tenantId);
    expect(listed.map((e) => e.endpointId).sort()).toEqual([first.endpointId, second.endpointId].sort());
  });

  it('keeps a sealed secret beside a clear one written before issue 20, and reads both back as written', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    const rolled = rollSecret(
      endpoint,
      { sealed: 'AQIDBA==', last4: 'wxyz' },
      new Date('2026-01-02T00:00:00.000Z'),
    );
    expect(await store.replace(rolled, endpoint)).toBe(true);
    const stored = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;
    expect(stored.secrets).toEqual([
      { sealed: 'AQIDBA==', last4: 'wxyz', createdAt: '2026-01-02T00:00:00.000Z' },
      { secret: 'whsec_first', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-03T00:00:00.000Z' },
    ]);
    // The read is exactly what is stored: a change made from it applies.
    expect(await store.replace({ ...stored, status: 'disabled' }, stored)).toBe(true);
  });

  it('never reuses an id', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    await expect(store.create(endpoint)).rejects.toThrow(WebhookEndpointExistsError);
  });

  it('keeps a rolled secret signing for 24 hours, then only the new one', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    const rolledAt = new Date('2026-01-02T00:00:00.000Z');
    expect(await store.replace(rollSecret(endpoint, { secret: 'whsec_second' }, rolledAt))).toBe(true);
    const stored = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;

    expect(plain(signingSecrets(stored, rolledAt))).toEqual(['whsec_second', 'whsec_first']);
    expect(plain(signingSecrets(stored, new Date('2026-01-02T23:59:59.000Z')))).toEqual([
      'whsec_second',
      'whsec_first',
    ]);
    expect(plain(signingSecrets(stored, new Date('2026-01-03T00:00:00.000Z')))).toEqual(['whsec_second']);
  });

  it('refuses a replacement made from a read older than the last roll, so a shown secret is never dropped', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    const read = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;
    const rolled = rollSecret(read, { secret: 'whsec_rolled' }, new Date('2026-01-02T00:00:00.000Z'));
    expect(await store.replace(rolled, read)).toBe(true);
    // A change made from the read before the roll would write the old secrets back.
    expect(await store.replace({ ...read, status: 'disabled' }, read)).toBe(false);
    const stored = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;
    expect(stored.status).toBe('enabled');
    expect(plain(stored.secrets)).toEqual(['whsec_rolled', 'whsec_first']);
    // Made from a fresh read it applies.
    expect(await store.replace({ ...stored, status: 'disabled' }, stored)).toBe(true);
  });

  it('refuses a replacement made from a read older than any other change, optional fields included', async () => {
    const endpoint = anEndpoint({ eventTypes: ['order.paid'] });
    await store.create(endpoint);
    const read = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;
    expect(await store.replace({ ...read, description: 'added' }, read)).toBe(true);
    // The roll was made from the read without the description: it would remove it.
    expect(await store.replace(rollSecret(read, { secret: 'whsec_late' }, new Date()), read)).toBe(false);
    const changed = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;
    expect(await store.replace({ ...changed, eventTypes: ['*'] }, read)).toBe(false);
    expect(await store.replace({ ...changed, eventTypes: ['*'] }, changed)).toBe(true);
    expect(await store.get(endpoint.tenantId, endpoint.endpointId)).toMatchObject({
      description: 'added',
      eventTypes: ['*'],
      secrets: [{ secret: 'whsec_first' }],
    });
  });

  it('answers false when replacing or after deleting an endpoint that is gone', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    await store.delete(endpoint.tenantId, endpoint.endpointId);
    expect(await store.get(endpoint.tenantId, endpoint.endpointId)).toBeUndefined();
    expect(await store.replace({ ...endpoint, status: 'disabled' })).toBe(false);
  });
});
