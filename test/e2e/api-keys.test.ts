import { describe, expect, it } from 'vitest';
import { anotherTenant, scanTable } from '../support/fraud-helpers.js';
import { aPaidOrder, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/** Issue 20 item 1: scoped keys a tenant makes, lists and revokes through the API. */
const stack = useTestStack();

/** A fresh tenant (its first key has every scope) and a way to make more keys for it. */
async function aTenantWithKeys() {
  const tenant = await anotherTenant(stack.current);
  const as = (apiKey: string) => ({
    get: (path: string) => stack.current.request('GET', path, { apiKey }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      stack.current.request('POST', path, { apiKey, body: body ?? {}, ...(headers ? { headers } : {}) }),
    delete: (path: string) => stack.current.request('DELETE', path, { apiKey }),
  });
  const admin = as(tenant.apiKey);
  const keyWith = async (...scopes: string[]) => {
    const res = await admin.post('/v1/api-keys', { scopes, description: `${scopes.join('+')} service` });
    expect(res.status, res.text).toBe(201);
    return { ...as(res.body.key as string), keyId: res.body.keyId as string, key: res.body.key as string };
  };
  return { tenant, admin, keyWith, as };
}

describe('scoped API keys (issue 20)', () => {
  it('refuses a read key a POST with 403 insufficient-scope naming the scope, and serves it GETs', async () => {
    const { admin, keyWith } = await aTenantWithKeys();
    const reader = await keyWith('read');
    const created = await admin.post('/v1/listings', {
      sellerId: unique('seller'),
      brand: 'demo-gift',
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    expect(created.status, created.text).toBe(201);

    const refused = await reader.post('/v1/listings', {
      sellerId: unique('seller'),
      brand: 'demo-gift',
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: 'https://card-vault.example/problems/insufficient-scope',
      scope: 'listings',
    });
    expect(refused.body.detail).toContain('`listings`');

    const read = await reader.get(`/v1/listings/${created.body.listingId}`);
    expect(read.status, read.text).toBe(200);
    expect((await reader.get('/v1/api-keys')).status).toBe(200);
    expect((await reader.post('/v1/api-keys', { scopes: ['read'] })).body.scope).toBe('keys');
  });

  it('refuses an orders key the API reveal (scope reveal) and lets it make the reveal link', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const orders = await stack.current.post('/v1/api-keys', { scopes: ['orders'] });
    expect(orders.status, orders.text).toBe(201);
    const apiKey = orders.body.key as string;

    const reveal = await stack.current.request('POST', `/v1/orders/${orderId}/reveal`, {
      apiKey,
      body: { buyerId },
      headers: { 'idempotency-key': unique('reveal') },
    });
    expect(reveal.status, reveal.text).toBe(403);
    expect(reveal.body.scope).toBe('reveal');
    // Nothing was revealed: the order is still paid, and its trail has no reveal.
    const order = await stack.current.get(`/v1/orders/${orderId}`);
    expect(order.body.state).toBe('paid');

    const link = await stack.current.request('POST', `/v1/orders/${orderId}/reveal-links`, {
      apiKey,
      body: { buyerId },
    });
    expect(link.status, link.text).toBe(201);
    // A GET outside its area and without `read`: refused, naming `read`.
    const seller = await stack.current.request('GET', `/v1/sellers/${unique('seller')}`, { apiKey });
    expect(seller.status).toBe(403);
    expect(seller.body.scope).toBe('read');
  });

  it('keeps two keys live through a rotation: the new one works before the old one is revoked', async () => {
    const { admin, keyWith, as } = await aTenantWithKeys();
    const old = await keyWith('orders', 'read');
    const fresh = await keyWith('orders', 'read');
    for (const key of [old, fresh]) expect((await key.get('/v1/webhook-endpoints')).status).toBe(200);

    const listed = await admin.get('/v1/api-keys');
    expect(listed.status, listed.text).toBe(200);
    const byId = new Map(listed.body.keys.map((k: { keyId: string }) => [k.keyId, k]));
    expect(byId.get(old.keyId)).toMatchObject({
      scopes: ['orders', 'read'],
      description: 'orders+read service',
      lastUsedAt: expect.any(String),
    });
    // The first key (the CLI's) is listed too, with every scope; no secret or hash anywhere.
    expect(listed.body.keys).toHaveLength(3);
    expect(listed.body.keys[0].scopes).toEqual([
      'listings',
      'orders',
      'reveal',
      'desk',
      'webhooks',
      'keys',
      'read',
    ]);
    expect(listed.text).not.toContain(old.key.slice(-43));
    expect(listed.text).not.toMatch(/secret|hash/i);

    const revoked = await admin.delete(`/v1/api-keys/${old.keyId}`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toMatchObject({ keyId: old.keyId, revokedAt: expect.any(String) });
    expect((await old.get('/v1/webhook-endpoints')).status).toBe(401);
    expect((await fresh.get('/v1/webhook-endpoints')).status).toBe(200);
    expect((await as(old.key).get('/v1/api-keys')).status).toBe(401);
    expect((await admin.delete(`/v1/api-keys/${old.keyId}`)).status).toBe(404);
  });

  it('gives no scope the calling key lacks, and no tenant revokes another tenant’s key', async () => {
    const { keyWith } = await aTenantWithKeys();
    const keyMaker = await keyWith('keys');
    const widened = await keyMaker.post('/v1/api-keys', { scopes: ['keys', 'reveal'] });
    expect(widened.status, widened.text).toBe(403);
    expect(widened.body.scope).toBe('reveal');
    const narrow = await keyMaker.post('/v1/api-keys', { scopes: ['keys'] });
    expect(narrow.status, narrow.text).toBe(201);

    const other = await aTenantWithKeys();
    expect((await other.admin.delete(`/v1/api-keys/${keyMaker.keyId}`)).status).toBe(404);
    expect((await keyMaker.get('/v1/api-keys')).status).toBe(200);
  });

  it('lets no key revoke a key with scopes it lacks, nor the tenant’s last key (a leaked narrow key cannot lock the tenant out)', async () => {
    const { admin, keyWith, tenant } = await aTenantWithKeys();
    const keyMaker = await keyWith('keys');
    const listed = await keyMaker.get('/v1/api-keys');
    const adminKeyId = listed.body.keys.find((k: { scopes: string[] }) => k.scopes.includes('reveal'))?.keyId;
    expect(adminKeyId).toBeDefined();
    const refused = await keyMaker.delete(`/v1/api-keys/${adminKeyId}?revoke=links,webhook-endpoints`);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.type).toMatch(/insufficient-scope$/);
    expect((await admin.get('/v1/api-keys')).status).toBe(200);

    // The admin key may revoke the narrower one; then it is the last key, and stays.
    expect((await admin.delete(`/v1/api-keys/${keyMaker.keyId}`)).status).toBe(200);
    const last = await admin.delete(`/v1/api-keys/${adminKeyId}`);
    expect(last.status, last.text).toBe(409);
    expect(last.body.type).toMatch(/invalid-state$/);
    expect((await admin.get('/v1/api-keys')).status).toBe(200);
    expect(tenant.apiKey).toBeDefined();
  });

  it('refuses unknown or empty scopes as a validation problem, and keeps only the secret’s hash', async () => {
    const { admin, keyWith } = await aTenantWithKeys();
    for (const scopes of [[], ['admin'], 'read']) {
      const res = await admin.post('/v1/api-keys', { scopes });
      expect(res.status, JSON.stringify(scopes)).toBe(400);
    }
    const key = await keyWith('read');
    const items = JSON.stringify(await scanTable(stack.current));
    expect(items).toContain(key.keyId);
    expect(items).not.toContain(key.key.slice(-43));
  });
});
