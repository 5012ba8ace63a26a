import { describe, expect, it } from 'vitest';
import {
  DynamoWebhookEndpointStore,
  WebhookEndpointExistsError,
} from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { rollSecret, signingSecrets, type WebhookEndpoint } from '../../shared/domain/webhook-endpoint.js';
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

  it('never reuses an id', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    await expect(store.create(endpoint)).rejects.toThrow(WebhookEndpointExistsError);
  });

  it('keeps a rolled secret signing for 24 hours, then only the new one', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    const rolledAt = new Date('2026-01-02T00:00:00.000Z');
    expect(await store.replace(rollSecret(endpoint, 'whsec_second', rolledAt))).toBe(true);
    const stored = (await store.get(endpoint.tenantId, endpoint.endpointId)) as WebhookEndpoint;

    expect(signingSecrets(stored, rolledAt)).toEqual(['whsec_second', 'whsec_first']);
    expect(signingSecrets(stored, new Date('2026-01-02T23:59:59.000Z'))).toEqual([
      'whsec_second',
      'whsec_first',
    ]);
    expect(signingSecrets(stored, new Date('2026-01-03T00:00:00.000Z'))).toEqual(['whsec_second']);
  });

  it('answers false when replacing or after deleting an endpoint that is gone', async () => {
    const endpoint = anEndpoint();
    await store.create(endpoint);
    await store.delete(endpoint.tenantId, endpoint.endpointId);
    expect(await store.get(endpoint.tenantId, endpoint.endpointId)).toBeUndefined();
    expect(await store.replace({ ...endpoint, status: 'disabled' })).toBe(false);
  });
});
