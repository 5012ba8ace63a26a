import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanTable } from '../support/fraud-helpers.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('hosted links API (issue 10)', () => {
  it('a reveal link for the order and its buyer has an unguessable token, kept hashed, expiring in 24 h', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const res = await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const token = new URL(res.body.url).pathname.split('/').pop() ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.linkId).toMatch(/^lnk_/);
    const lifetime = Date.parse(res.body.expiresAt) - stack.current.clock.now().getTime();
    expect(Math.round(lifetime / 1000)).toBe(24 * 3600);
    // Only the token's hash is in the table.
    const items = JSON.stringify(await scanTable(stack.current));
    expect(items).not.toContain(token);
    expect(items).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('a deposit link defaults to 1 h, takes an expiry, and another seller gets 404', async () => {
    const { listingId, sellerId } = await aPaidOrder(stack.current);
    const res = await stack.current.post(`/v1/listings/${listingId}/deposit-links`, { sellerId });
    expect(res.status, res.text).toBe(201);
    const secondsLeft = (at: string) =>
      Math.round((Date.parse(at) - stack.current.clock.now().getTime()) / 1000);
    expect(secondsLeft(res.body.expiresAt)).toBe(3600);
    const custom = await stack.current.post(`/v1/listings/${listingId}/deposit-links`, {
      sellerId,
      expiresInSeconds: 600,
    });
    expect(secondsLeft(custom.body.expiresAt)).toBe(600);
    const other = await stack.current.post(`/v1/listings/${listingId}/deposit-links`, {
      sellerId: 'someone',
    });
    expect(other.status).toBe(404);
  });

  it('another buyer gets 404; a link is revoked by id', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    expect(
      (await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId: 'other' })).status,
    ).toBe(404);
    const created = await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId });
    const revoked = await stack.current.request('DELETE', `/v1/links/${created.body.linkId}`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.revokedAt).toBeDefined();
  });
});
