import { describe, expect, it } from 'vitest';
import { anotherTenant, scanTable } from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/** Issue 20 item 2: what a key made can be found (GET /v1/links) and ended with the key. */
const stack = useTestStack();

async function aKeyOf(tenantKey: string, scopes: string[]) {
  const made = await stack.current.request('POST', '/v1/api-keys', { apiKey: tenantKey, body: { scopes } });
  expect(made.status, made.text).toBe(201);
  const apiKey = made.body.key as string;
  return {
    keyId: made.body.keyId as string,
    request: (method: string, path: string, body?: unknown) =>
      stack.current.request(method, path, { apiKey, ...(body !== undefined ? { body } : {}) }),
  };
}

describe('what a key made (issue 20)', () => {
  it('lists the links a key made, by order and by state, page by page', async () => {
    const tenant = await anotherTenant(stack.current);
    const as = { ...stack.current, post: tenant.post, get: tenant.get };
    const { listingId } = await aListing(as);
    await depositFresh(as, listingId, 1);
    const service = await aKeyOf(tenant.apiKey, ['orders', 'listings', 'read']);
    const { orderId, buyerId } = await anOrder(as, listingId);
    const made = [];
    for (let i = 0; i < 3; i++) {
      const res = await service.request('POST', `/v1/orders/${orderId}/reveal-links`, { buyerId });
      expect(res.status, res.text).toBe(201);
      made.push(res.body.linkId as string);
    }
    const byAdmin = await tenant.post(`/v1/orders/${orderId}/reveal-links`, { buyerId });
    expect((await service.request('DELETE', `/v1/links/${made[0]}`)).status).toBe(200);

    const all = await tenant.get('/v1/links');
    expect(all.status, all.text).toBe(200);
    expect(all.body.links.map((l: { linkId: string }) => l.linkId)).toEqual([...made, byAdmin.body.linkId]);
    expect(all.body.links[0]).toMatchObject({
      kind: 'reveal',
      subjectId: orderId,
      createdByKeyId: service.keyId,
    });
    expect(all.text).not.toMatch(/\/links\/[A-Za-z0-9_-]{43}|tokenHash|nonce/);

    const byKey = await tenant.get(`/v1/links?keyId=${service.keyId}&active=true`);
    expect(byKey.body.links.map((l: { linkId: string }) => l.linkId)).toEqual(made.slice(1));
    const ended = await tenant.get(`/v1/links?orderId=${orderId}&active=false`);
    expect(ended.body.links.map((l: { linkId: string }) => l.linkId)).toEqual([made[0]]);
    expect((await tenant.get(`/v1/links?listingId=${listingId}`)).body.links).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await tenant.get(`/v1/links?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status, page.text).toBe(200);
      expect(page.body.links.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.links.map((l: { linkId: string }) => l.linkId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made, byAdmin.body.linkId]);

    // Another tenant sees none of them, whatever it filters on.
    const other = await anotherTenant(stack.current);
    expect((await other.get(`/v1/links?orderId=${orderId}`)).body.links).toEqual([]);
    expect((await other.get(`/v1/links?keyId=${service.keyId}`)).body.links).toEqual([]);
  });

  it('revokes a key with revoke=links,webhook-endpoints: its link opens nothing, its endpoint gets nothing more', async () => {
    const tenant = await anotherTenant(stack.current);
    const as = { ...stack.current, post: tenant.post, get: tenant.get };
    const { listingId } = await aListing(as);
    await depositFresh(as, listingId, 1);
    const { orderId, buyerId } = await anOrder(as, listingId);
    const leaked = await aKeyOf(tenant.apiKey, ['orders', 'webhooks']);
    const link = await leaked.request('POST', `/v1/orders/${orderId}/reveal-links`, { buyerId });
    expect(link.status, link.text).toBe(201);
    const endpoint = await leaked.request('POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/leaked',
      eventTypes: ['*'],
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    // Made by another key: left alone.
    const kept = await tenant.post(`/v1/orders/${orderId}/reveal-links`, { buyerId });
    const keptEndpoint = await tenant.post('/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/kept',
      eventTypes: ['*'],
    });
    const page = new URL(link.body.url).pathname;
    expect((await stack.current.request('GET', page, { apiKey: null })).status).toBe(200);

    const revoked = await tenant.request(
      'DELETE',
      `/v1/api-keys/${leaked.keyId}?revoke=links,webhook-endpoints`,
    );
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({
      keyId: leaked.keyId,
      revokedLinks: [link.body.linkId],
      disabledWebhookEndpoints: [endpoint.body.endpointId],
    });

    expect((await leaked.request('GET', '/v1/webhook-endpoints')).status).toBe(401);
    expect((await stack.current.request('GET', page, { apiKey: null })).status).toBe(404);
    expect((await tenant.get(`/v1/links/${link.body.linkId}`)).body.revokedAt).toBeDefined();
    expect((await tenant.get(`/v1/links/${kept.body.linkId}`)).body.revokedAt).toBeUndefined();
    const disabled = await tenant.get(`/v1/webhook-endpoints/${endpoint.body.endpointId}`);
    expect(disabled.body).toMatchObject({
      status: 'disabled',
      disabledReason: expect.stringContaining(leaked.keyId),
    });
    expect((await tenant.get(`/v1/webhook-endpoints/${keptEndpoint.body.endpointId}`)).body.status).toBe(
      'enabled',
    );

    // On the tenant's key trail: who revoked what, and what it ended.
    const trail = (await scanTable(stack.current)).filter(
      (item) => item.entity === 'KeyTrailLine' && item.keyId === leaked.keyId,
    );
    expect(trail).toEqual([
      expect.objectContaining({
        type: 'api_key.revoked',
        links: [link.body.linkId],
        webhookEndpoints: [endpoint.body.endpointId],
      }),
    ]);
  });

  it('refuses an unknown revoke word as a validation problem, revoking nothing', async () => {
    const tenant = await anotherTenant(stack.current);
    const key = await aKeyOf(tenant.apiKey, ['read']);
    const res = await tenant.request('DELETE', `/v1/api-keys/${key.keyId}?revoke=${unique('everything')}`);
    expect(res.status, res.text).toBe(400);
    expect((await key.request('GET', '/v1/api-keys')).status).toBe(200);
  });
});
