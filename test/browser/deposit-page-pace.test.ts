import { describe, expect, it } from 'vitest';
import { openPage, useBrowser } from '../support/browser.js';
import { createDepositLink } from '../support/link-pages.js';
import { aListing, mintCode } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * Issue 19: the page sends a long deposit in batches, each a POST on the link. With the link's
 * bucket at one batch every two seconds, an honest seller's batches outrun it: the page waits
 * the Retry-After each refusal names and sends the batch again, until every code is deposited.
 */
const stack = useTestStack({ LINK_RATE_PER_SECOND: '0.5', LINK_BURST: '1' });
const browser = useBrowser();

describe('the hosted deposit page under the link’s rate limit, in Chromium', () => {
  it('deposits 150 codes in three batches though the link admits one batch every 2 s: refused batches are sent again', {
    timeout: 60_000,
  }, async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    const codes = (await Promise.all(Array.from({ length: 150 }, () => mintCode(s)))).map((c) => c.code);
    const { url } = await createDepositLink(s, listingId, sellerId);
    const page = await openPage(browser.current, url);
    // The clock stands still until the first refusal, so the second batch meets the limit
    // whatever this machine's pace; then it runs, and the bucket refills as it would.
    const statuses: number[] = [];
    page.on('response', (res) => {
      if (res.request().method() !== 'POST') return;
      statuses.push(res.status());
      if (res.status() === 429) s.clock.resume();
    });
    s.clock.freeze();
    await page.fill('#codes', codes.join('\n'));
    await page.click('#deposit-button');
    await page
      .locator('#deposit-results li')
      .nth(149)
      .waitFor({ timeout: 50_000 })
      .finally(() => s.clock.resume());

    // The limit was met (some batch refused with 429), and no code was lost or deposited twice.
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    const outcomes = await page
      .locator('#deposit-results li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-outcome')));
    expect(outcomes).toEqual(codes.map(() => 'accepted'));
    expect((await s.get(`/v1/listings/${listingId}`)).body.stock.available).toBe(150);
    expect(await page.locator('#deposit-button').isDisabled()).toBe(false);
    await page.context().close();
  });
});
