import { describe, expect, it } from 'vitest';
import { eventsOf, findCodes } from '../support/fraud-helpers.js';
import {
  createDepositLink,
  createRevealLink,
  getPage,
  hasId,
  nonceOf,
  postForm,
} from '../support/link-pages.js';
import { aListing, aPaidOrder, unique } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';

/**
 * Issue 19 item 3: a hosted link's POSTs draw on a small bucket of the link's own (here 3 at
 * once, one a second), then on the tenant's. The clock is frozen during each burst: exact counts.
 */
const stack = useTestStack({ LINK_RATE_PER_SECOND: '1', LINK_BURST: '3' });

async function frozen<T>(s: TestStack, work: () => Promise<T>): Promise<T> {
  s.clock.freeze();
  return work().finally(() => s.clock.resume());
}

describe('rate limit per hosted link (issue 19)', () => {
  it('a holder hammering a deposit link empties the link’s bucket, not the tenant’s: its API and other links go on', async () => {
    const s = stack.current;
    const { tenant, apiKey } = await s.vault.tenants.create(unique('market'));
    await s.vault.tenants.setRateLimit(tenant.tenantId, { ratePerSecond: 1, burst: 10 });
    const as = { ...s, post: (path: string, body?: unknown) => s.request('POST', path, { body, apiKey }) };
    const { listingId, sellerId } = await aListing(as as TestStack);
    const [hammered, other] = [
      await createDepositLink(as as TestStack, listingId, sellerId),
      await createDepositLink(as as TestStack, listingId, sellerId),
    ];
    const [page, otherPage] = [await getPage(s, hammered.path), await getPage(s, other.path)];
    s.clock.advance(60);
    const { presses, api, second } = await frozen(s, async () => {
      // No codes: every press the limiter lets through is answered "no codes" (400), nothing deposited.
      const presses = await Promise.all(
        Array.from({ length: 12 }, () =>
          postForm(s, `${hammered.path}/cards`, { nonce: nonceOf(page.html), codes: '' }),
        ),
      );
      const api = await s.request('GET', `/v1/listings/${listingId}`, { apiKey });
      const second = await postForm(s, `${other.path}/cards`, { nonce: nonceOf(otherPage.html), codes: '' });
      return { presses, api, second };
    });
    expect(presses.filter((p) => p.status === 400)).toHaveLength(3);
    const refused = presses.filter((p) => p.status === 429);
    expect(refused).toHaveLength(9);
    for (const p of refused) {
      expect(hasId(p.html, 'rate-limited')).toBe(true);
      expect(p.headers.get('retry-after')).toBe('1');
      // Refused by its own bucket: the tenant's was not drawn on, so only the link's is named.
      expect(p.headers.get('ratelimit-policy')).toBe('"link";q=3;w=3');
      expect(p.headers.get('ratelimit')).toBe('"link";r=0;t=3');
    }
    const admitted = presses.find((p) => p.status === 400);
    expect(admitted?.headers.get('ratelimit-policy')).toBe('"link";q=3;w=3, "tenant";q=10;w=10');
    // The tenant gave 3 tokens to the link's admitted presses, none to the 9 refused.
    expect(api.status).toBe(200);
    expect(api.headers.get('ratelimit')).toBe('"tenant";r=6;t=4');
    expect(second.status).toBe(400);
    expect(second.headers.get('ratelimit')).toBe('"link";r=2;t=1, "tenant";r=5;t=5');
  });

  it('"reveal" and "show again" presses past the link’s bucket are refused before any decrypt', async () => {
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);
    const link = await createRevealLink(s, orderId, buyerId);
    const opened = await getPage(s, link.path);
    s.clock.advance(60);
    const presses = await frozen(s, async () => {
      const answers = [];
      // One after another, as a person presses: the first reveals, the next two show it again.
      for (let i = 0; i < 5; i++)
        answers.push(await postForm(s, `${link.path}/reveal`, { nonce: nonceOf(opened.html) }));
      return answers;
    });
    expect(presses.map((p) => p.status)).toEqual([200, 200, 200, 429, 429]);
    for (const p of presses.slice(3)) {
      expect(hasId(p.html, 'rate-limited')).toBe(true);
      expect(findCodes(p.html, [card.code])).toEqual([]);
    }
    const events = (await eventsOf(s, orderId)).map((e) => e.type);
    expect(events.filter((t) => t === 'order.revealed')).toHaveLength(1);
    expect(events.filter((t) => t === 'order.redelivered')).toHaveLength(2);
  });
});
