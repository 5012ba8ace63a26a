import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPage, useBrowser } from '../support/browser.js';
import { createRevealLink, getPage, nonceOf, postForm, SAME_ORIGIN } from '../support/link-pages.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const browser = useBrowser();

/** A sale revealed on its hosted page by a browser with this user agent. */
async function aRevealedSale(userAgent: string) {
  const sale = await aPaidOrder(stack.current);
  const link = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
  const opened = await getPage(stack.current, link.path);
  const res = await postForm(
    stack.current,
    `${link.path}/reveal`,
    { nonce: nonceOf(opened.html) },
    { ...SAME_ORIGIN, 'user-agent': userAgent },
  );
  expect(res.status).toBe(200);
  return sale;
}

describe('the evidence page, in Chromium', () => {
  it('shows a reviewer the sale, who revealed it, the whole trail and the signature with how to verify it (en)', async () => {
    const sale = await aRevealedSale('Mozilla/5.0 (EvidenceReviewer) Chrome/131');
    const url = `${stack.current.apiUrl}/v1/orders/${sale.orderId}/evidence`;
    const errors: string[] = [];
    const page = await openPage(browser.current, url, {
      extraHTTPHeaders: { authorization: `Bearer ${stack.current.devApiKey}` },
    });
    // Script errors, CSP refusals, and any failed load but the favicon Chromium asks for on its
    // own (a 404 from the API, logged as a console error whenever it lands).
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
    });
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toContain(`Evidence of a sale: ${sale.orderId}`);
    expect(await page.textContent('#evidence-product')).toMatch(/gift card code, face value/);
    expect(await page.textContent('#evidence-ip')).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    const rows = await page.$$eval('#evidence-trail tbody tr', (trs) =>
      trs.map((tr) => tr.textContent ?? ''),
    );
    const types = await page.$$eval('#evidence-trail tbody td:nth-child(2)', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(types).toEqual(['order.placed', 'payment.received', 'order.revealed']);
    expect(rows[2]).toContain('EvidenceReviewer');
    // The hash shown is the hash of the payload the JWS shown signs.
    const jws = (await page.textContent('#evidence-jws')) ?? '';
    expect(jws.split('.')).toHaveLength(3);
    const payload = Buffer.from(jws.split('.')[1] ?? '', 'base64url');
    expect(await page.textContent('#evidence-sha256')).toBe(
      createHash('sha256').update(payload).digest('hex'),
    );
    expect(await page.textContent('#evidence-verify')).toContain('GET /v1/evidence-keys');
    // The summary comes first, above the fold: what a reviewer reads in a minute.
    const summary = await page.locator('#evidence-summary').boundingBox();
    expect(summary?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(720);
    // Printable: nothing of it is hidden on paper.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('#evidence-trail')).toBe(true);
    expect(await page.isVisible('#evidence-jws')).toBe(true);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.context().close();
  });

  it('speaks zh-CN with ?lang=zh-CN', async () => {
    const sale = await aRevealedSale('Mozilla/5.0 (EvidenceReviewerZh) Chrome/131');
    const page = await openPage(
      browser.current,
      `${stack.current.apiUrl}/v1/orders/${sale.orderId}/evidence?lang=zh-CN`,
      { locale: 'zh-CN', extraHTTPHeaders: { authorization: `Bearer ${stack.current.devApiKey}` } },
    );
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toContain('交易证据');
    expect(await page.textContent('#summary-title')).toBe('一分钟概要');
    expect(await page.textContent('#evidence-verify')).toContain('GET /v1/evidence-keys');
    await page.context().close();
  });
});
