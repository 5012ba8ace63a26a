import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  fitsWidth,
  openPage,
  PHONE_360,
  plain,
  renderedFonts,
  saveScreenshot,
  useBrowser,
} from '../support/browser.js';
import { createDepositLink } from '../support/link-pages.js';
import { aListing, mintCode } from '../support/scenario.js';
import type { TestStack } from '../support/test-stack.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const browser = useBrowser();

async function mintMany(s: TestStack, count: number): Promise<string[]> {
  const codes: string[] = [];
  while (codes.length < count) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - codes.length) }, () => mintCode(s)),
    );
    codes.push(...batch.map((c) => c.code));
  }
  return codes;
}

/** The result list as shown: one line per code, in the order pasted. */
const resultLines = (page: Page) => page.locator('#deposit-results li').allTextContents();

/** Each line's outcome, in the order pasted. */
const outcomes = (page: Page) =>
  page
    .locator('#deposit-results li')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-outcome')));

/** No code appears on the page but masked: neither in the text nor anywhere in the markup. */
async function expectMasked(page: Page, codes: string[]) {
  const html = plain(await page.content());
  expect(codes.filter((code) => html.includes(plain(code)))).toEqual([]);
  // Masked is what a person can still match to their card: the last four characters.
  const lines = await resultLines(page);
  for (const [i, code] of codes.entries()) expect(lines[i], `line ${i}`).toContain(plain(code).slice(-4));
}

describe('the hosted deposit page, in Chromium', () => {
  it('deposits 200 codes (150 pasted, 50 in a CSV file) with progress, each outcome listed masked', {
    timeout: 90_000,
  }, async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const fresh = await mintMany(stack.current, 198);
    const spent = await mintMany(stack.current, 2);
    for (const code of spent) await stack.current.issuer('/cards/redeem', { code });
    const codes = [...fresh.slice(0, 100), spent[0] as string, ...fresh.slice(100), spent[1] as string];
    const { url } = await createDepositLink(stack.current, listingId, sellerId);
    const page = await openPage(browser.current, url);
    // Every value the progress bar takes, recorded by the page itself on each change. (In-page
    // code is passed as text: the project type-checks against Node, without the DOM's types.)
    await page.evaluate(`{
      const bar = document.getElementById('deposit-progress');
      window.progressSeen = [];
      new MutationObserver(() => window.progressSeen.push(bar.value)).observe(bar, { attributes: true });
    }`);
    await page.fill('#codes', codes.slice(0, 150).join('\n'));
    // A spreadsheet's export: a `code,pin` header, then code,pin rows (no PIN for this brand),
    // CRLF line ends. The header is the file's, skipped as the server skips it: never a code.
    const csv = ['code,pin', ...codes.slice(150).map((code) => `${code},`)].join('\r\n');
    await page.setInputFiles('#codes-file', {
      name: 'codes.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.click('#deposit-button');
    // The last line comes with the last batch's answer, in the task that moves the bar to the end.
    await page.locator('#deposit-results li').nth(199).waitFor({ timeout: 80_000 });
    expect(
      await page.evaluate(
        "[document.getElementById('deposit-progress').value, document.getElementById('deposit-progress').max]",
      ),
    ).toEqual([200, 200]);
    const seen = (await page.evaluate('window.progressSeen')) as number[];
    // More than one step: the batch was sent in parts and the bar moved between them.
    expect(seen.filter((v) => v > 0 && v < 200).length).toBeGreaterThan(0);

    expect(await outcomes(page)).toEqual(
      codes.map((code) => (spent.includes(code) ? 'rejected' : 'accepted')),
    );
    await expectMasked(page, codes);
    // Nor in the vault's logs of the whole run (the page's batches included).
    const logs = plain(stack.current.logs.join('\n'));
    expect(codes.filter((code) => logs.includes(plain(code)))).toEqual([]);
    const listing = await stack.current.get(`/v1/listings/${listingId}`);
    expect(listing.body.stock.available).toBe(198);
    await page.context().close();
  });

  it('fits a 360 px phone in both languages, before and after a deposit: no horizontal scroll, the form and results on screen', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    for (const locale of ['zh-CN', 'en-US']) {
      const codes = await mintMany(stack.current, 3);
      const { url } = await createDepositLink(stack.current, listingId, sellerId);
      const page = await openPage(browser.current, url, { ...PHONE_360, locale });
      await fitsWidth(page, 360, ['#codes', '#codes-file', '#deposit-button']);
      await page.fill('#codes', codes.join('\n'));
      await page.click('#deposit-button');
      await page.locator('#deposit-results li').nth(2).waitFor();
      await fitsWidth(page, 360, ['#deposit-progress', '#deposit-summary', '#deposit-results li:last-child']);
      await page.context().close();
    }
  });

  it('speaks Chinese to a zh-CN browser, drawn with CJK fonts, results included, and switches to English', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const [code] = await mintMany(stack.current, 1);
    const { url } = await createDepositLink(stack.current, listingId, sellerId);
    const page = await openPage(browser.current, url, { locale: 'zh-CN' });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toMatch(/\p{Script=Han}/u);
    expect(await page.textContent('#deposit-button')).toMatch(/\p{Script=Han}/u);
    expect(await page.textContent('label[for="codes"]')).toMatch(/\p{Script=Han}/u);
    expect((await renderedFonts(page, '#deposit-button')).join()).toMatch(/Noto (Sans|Serif) CJK/);
    await page.fill('#codes', code as string);
    await page.click('#deposit-button');
    await page.locator('#deposit-results li').first().waitFor();
    // The outcome and the summary drawn by page.js are in Chinese too, not only the server's page.
    expect(await page.textContent('#deposit-results li .outcome')).toMatch(/\p{Script=Han}/u);
    await page.locator('#deposit-summary:not(:empty)').waitFor();
    expect(await page.textContent('#deposit-summary')).toMatch(/\p{Script=Han}/u);

    await Promise.all([page.waitForURL(/[?&]lang=en\b/), page.click('a[hreflang="en"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#deposit-button')).not.toMatch(/\p{Script=Han}/u);
    await page.context().close();
  });

  it('works without JavaScript: the form POST answers the results page, masked', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const codes = await mintMany(stack.current, 4);
    const [spent] = await mintMany(stack.current, 1);
    await stack.current.issuer('/cards/redeem', { code: spent });
    const all = [...codes, spent as string];
    const { url } = await createDepositLink(stack.current, listingId, sellerId);
    const page = await openPage(browser.current, url, { ...PHONE_360, javaScriptEnabled: false });
    await page.fill('#codes', all.join('\n'));
    await page.click('#deposit-button');
    await page.waitForSelector('#deposit-results li');
    expect(await outcomes(page)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'rejected']);
    await expectMasked(page, all);
    expect((await stack.current.get(`/v1/listings/${listingId}`)).body.stock.available).toBe(4);
    // Simulator codes, not real ones; shown masked anyway.
    await saveScreenshot(page, 'deposit');
    await page.context().close();
  });
});
