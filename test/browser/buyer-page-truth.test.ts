import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { codeGroups } from '../../shared/http/pages/page-views.js';
import { openPage, PHONE_360, plain, pressReveal, useBrowser } from '../support/browser.js';
import { createDepositLink, createRevealLink } from '../support/link-pages.js';
import { aListing, anOrder, aPaidOrder, depositFresh, mintCode } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * Issue 23 item 4: the buyer's page tells the truth. Each of these was wrong before: "Amount paid"
 * above "not paid yet", a code in one unbroken run, times in UTC only, /favicon.ico a 404, and
 * the deposit results' columns drifting on a phone.
 */
const stack = useTestStack();
const browser = useBrowser();

const amountLabel = (page: Page) =>
  page.locator('#order-amount').evaluate((dd) => dd.previousElementSibling?.textContent);

describe("the buyer's page, in Chromium", () => {
  it('labels an unpaid order\'s amount "Amount" (应付金额), and a paid one\'s "Amount paid" (实付金额)', async () => {
    const { listingId } = await aListing(stack.current);
    await depositFresh(stack.current, listingId);
    const { orderId, buyerId } = await anOrder(stack.current, listingId);
    const { url } = await createRevealLink(stack.current, orderId, buyerId);
    for (const [locale, due] of [
      ['en-US', 'Amount'],
      ['zh-CN', '应付金额'],
    ] as const) {
      const page = await openPage(browser.current, url, { locale });
      expect(await page.isVisible('#not-paid')).toBe(true);
      expect(await amountLabel(page)).toBe(due);
      await page.context().close();
    }
    const paid = await aPaidOrder(stack.current);
    const paidLink = await createRevealLink(stack.current, paid.orderId, paid.buyerId);
    for (const [locale, label] of [
      ['en-US', 'Amount paid'],
      ['zh-CN', '实付金额'],
    ] as const) {
      const page = await openPage(browser.current, paidLink.url, { locale });
      expect(await amountLabel(page)).toBe(label);
      await page.context().close();
    }
  });

  it("shows the code in groups of four, copies it raw, and gives times in the reader's zone", async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const page = await openPage(browser.current, url, { timezoneId: 'Asia/Shanghai' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await pressReveal(page);
    const groups = await page.locator('#revealed-code span').allTextContents();
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.slice(0, -1).every((g) => g.length === 4)).toBe(true);
    expect(groups.join('')).toBe(plain(sale.card.code));
    // The groups are drawn apart, yet a copy is the code as the issuer knows it.
    const [first, second] = await Promise.all(
      [0, 1].map((i) => page.locator('#revealed-code span').nth(i).boundingBox()),
    );
    expect((second?.x ?? 0) - ((first?.x ?? 0) + (first?.width ?? 0))).toBeGreaterThan(4);
    await page.click('#copy-code');
    expect(String(await page.evaluate('navigator.clipboard.readText()'))).toBe(plain(sale.card.code));

    // The instant stays in `datetime` (UTC); the text is Shanghai's time, UTC+8, named as such.
    const iso = (await page.getAttribute('#revealed-time', 'datetime')) ?? '';
    expect(iso).toMatch(/Z$/);
    const shanghaiHour = (new Date(iso).getUTCHours() + 8) % 24;
    const text = (await page.textContent('#revealed-time')) ?? '';
    expect(text).toContain('GMT+8');
    expect(text).toMatch(new RegExp(`\\b0?${shanghaiHour % 12 || 12}:`));
    await page.context().close();
  });

  it('without JavaScript, says its times are UTC', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const page = await openPage(browser.current, url, {
      javaScriptEnabled: false,
      timezoneId: 'Asia/Shanghai',
    });
    await pressReveal(page);
    const iso = (await page.getAttribute('#revealed-time', 'datetime')) ?? '';
    const d = new Date(iso);
    const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    expect(await page.textContent('#revealed-time')).toContain(`${hhmm} UTC`);
    await page.context().close();
  });

  it('has an icon: the page links one, and /favicon.ico answers it', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const page = await openPage(browser.current, url);
    const href = (await page.getAttribute('link[rel="icon"]', 'href')) ?? '';
    for (const path of [href, '/favicon.ico']) {
      const res = await fetch(new URL(path, url));
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^image\/svg\+xml/);
      expect(await res.text(), path).toMatch(/^<svg /);
    }
    await page.context().close();
  });

  it('lines the deposit results up in columns on a 360 px phone', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const codes = [
      (await mintCode(stack.current)).code,
      'NOT-A-REAL-CODE-0000',
      (await mintCode(stack.current)).code,
    ];
    const { url } = await createDepositLink(stack.current, listingId, sellerId);
    const page = await openPage(browser.current, url, PHONE_360);
    await page.fill('#codes', codes.join('\n'));
    await page.click('#deposit-button');
    await page.locator('#deposit-results li').nth(2).waitFor();
    for (const column of ['.masked', '.result']) {
      const lefts = await page
        .locator(`#deposit-results li ${column}`)
        .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().left)));
      expect(lefts, column).toHaveLength(3);
      expect(new Set(lefts).size, `${column}: ${lefts}`).toBe(1);
    }
    await page.context().close();
  });
});

describe('codeGroups', () => {
  it.each([
    ['DEMON9WFFJAAZYGT', ['DEMO', 'N9WF', 'FJAA', 'ZYGT']],
    ['ABCDEFGHIJ', ['ABCD', 'EFGH', 'IJ']],
    ['12345678', ['12345678']],
    ['ABCD-EFGH-IJKL', ['ABCD-EFGH-IJKL']],
    ['ABCD EFGH', ['ABCD EFGH']],
  ])('%s -> %j', (code, groups) => {
    expect(codeGroups(code)).toEqual(groups);
  });
});
