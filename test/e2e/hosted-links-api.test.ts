import { createHash } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { anotherTenant, scanTable } from '../support/fraud-helpers.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
/** The stack's clock stands still until the test ends. */
const stopTheClock = () => {
  stack.current.clock.freeze();
  onTestFinished(() => stack.current.clock.resume());
};

describe('hosted links API (issue 10)', () => {
  it('a reveal link for the order and its buyer has an unguessable token, kept hashed, expiring in 24 h', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    // A controlled clock: the lifetime reads back exact, whatever the request took on a busy machine.
    stopTheClock();
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
    stopTheClock();
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

  it('reads a link by id (never its url); revoking twice keeps the first time; another tenant gets 404', async () => {
    const { orderId, buyerId, listingId } = await aPaidOrder(stack.current);
    const created = await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId });
    const read = await stack.current.get(`/v1/links/${created.body.linkId}`);
    expect(read.status, read.text).toBe(200);
    expect(read.body).toEqual({
      linkId: created.body.linkId,
      kind: 'reveal',
      createdAt: created.body.createdAt,
      expiresAt: created.body.expiresAt,
    });
    const stranger = await anotherTenant(stack.current);
    expect((await stranger.get(`/v1/links/${created.body.linkId}`)).status).toBe(404);
    expect(
      (await stack.current.request('DELETE', `/v1/links/${created.body.linkId}`, { apiKey: stranger.apiKey }))
        .status,
    ).toBe(404);
    expect((await stranger.post(`/v1/orders/${orderId}/reveal-links`, { buyerId })).status).toBe(404);
    expect((await stranger.post(`/v1/listings/${listingId}/deposit-links`, { sellerId: 'x' })).status).toBe(
      404,
    );
    const first = await stack.current.request('DELETE', `/v1/links/${created.body.linkId}`);
    stack.current.clock.advance(5);
    const second = await stack.current.request('DELETE', `/v1/links/${created.body.linkId}`);
    expect(second.body.revokedAt).toBe(first.body.revokedAt);
  });

  it('refuses an expiry out of bounds and a logo that is not https', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    for (const extra of [
      { expiresInSeconds: 59 },
      { expiresInSeconds: 604801 },
      { logoUrl: 'http://x.example/l.png' },
    ]) {
      const res = await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.type).toMatch(/validation$/);
    }
  });
});
