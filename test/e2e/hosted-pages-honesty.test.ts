import { describe, expect, it } from 'vitest';
import { createDepositLink, getPage, textOf } from '../support/link-pages.js';
import { aListing, aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/** Issue 20 item 5: a logo URL cannot write the page's CSP, and a deposit page says whose listing it fills. */
const stack = useTestStack();

describe('strict logo URLs (issue 20)', () => {
  it.each([
    'https://a.example;sandbox/x.png',
    'https://*/x',
    'https://a.example/x.png;sandbox',
    'https://a.example',
    'https://a.example:8443/x.png',
    'https://user@a.example/x.png',
    'https://a.example/x.png?v=1',
    'https://a.example/x.png#top',
    'https://a.example/x y.png',
    "https://a.example/x'.png",
    'https://a.example,b.example/x.png',
    'https://-a.example/x.png',
    'http://a.example/x.png',
    'https://[::1]/x.png',
  ])('refuses %s as a validation problem naming logoUrl', async (logoUrl) => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const res = await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId, logoUrl });
    expect(res.status, res.text).toBe(400);
    expect(res.body.type).toMatch(/\/validation$/);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'logoUrl' })]);
  });

  it('takes a host and a path, and the page allows only that origin for images', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const res = await stack.current.post(`/v1/listings/${listingId}/deposit-links`, {
      sellerId,
      logoUrl: 'https://cdn.market-place.example/brand/logo_2x.png',
    });
    expect(res.status, res.text).toBe(201);
    const page = await getPage(stack.current, new URL(res.body.url).pathname);
    expect(page.headers.get('content-security-policy')).toContain(
      "img-src 'self' https://cdn.market-place.example;",
    );
  });
});

describe('the deposit page names whose listing it fills (issue 20)', () => {
  it('shows the seller id and the listing, with a warning not to deposit into someone else’s, in both languages', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const link = await createDepositLink(stack.current, listingId, sellerId);

    const en = await getPage(stack.current, link.path);
    expect(en.status).toBe(200);
    expect(textOf(en.html, 'deposit-seller')).toBe(sellerId);
    expect(en.html).toContain(`<dd>${listingId}</dd>`);
    expect(en.html).toContain('Deposit only into your own listing');
    expect(en.html).toContain(`sold by seller ${sellerId}, not by you`);

    const zh = await getPage(stack.current, link.path, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(textOf(zh.html, 'deposit-seller')).toBe(sellerId);
    expect(zh.html).toContain('只存入您自己的商品');
    expect(zh.html).toContain(`由卖家 ${sellerId} 出售`);
  });
});
