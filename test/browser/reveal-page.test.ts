import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  fitsWidth,
  openPage,
  PHONE_360,
  plain,
  pressReveal,
  renderedFonts,
  saveScreenshot,
  useBrowser,
} from '../support/browser.js';
import { createRevealLink } from '../support/link-pages.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const browser = useBrowser();

/** User agents of chat apps whose link previews open a link before the person does. */
const PREVIEW_BOTS = [
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'TelegramBot (like TwitterBot)',
  'WhatsApp/2.23.20.0 A',
];

/** Codes are compared as the issuer knows them: without the dashes and spaces people add. */

const revealedCode = async (page: Page) => plain((await page.textContent('#revealed-code')) ?? '');

describe('the hosted reveal page, in Chromium', () => {
  it('shows the code once at the button, and "revealed" on reload; link previews before it burn nothing', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    // A chat app's preview fetches the link first, as a plain GET with its bot's user agent.
    for (const userAgent of PREVIEW_BOTS) {
      const preview = await fetch(url, { headers: { 'user-agent': userAgent } });
      expect(preview.status, userAgent).toBe(200);
      const html = await preview.text();
      expect(html, userAgent).toContain('id="reveal-button"');
      expect(plain(html), userAgent).not.toContain(plain(sale.card.code));
    }
    expect((await stack.current.get(`/v1/orders/${sale.orderId}`)).body.revealedAt).toBeUndefined();

    const page = await openPage(browser.current, url);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await pressReveal(page);
    expect(await revealedCode(page)).toBe(plain(sale.card.code));
    // The copy button (page.js) puts the code, and only the code, on the clipboard.
    await page.click('#copy-code');
    expect(plain(String(await page.evaluate('navigator.clipboard.readText()')))).toBe(plain(sale.card.code));
    expect((await stack.current.get(`/v1/orders/${sale.orderId}`)).body.revealedAt).toEqual(
      expect.any(String),
    );

    await page.goto(url);
    await page.reload();
    expect(await page.isVisible('#revealed-notice')).toBe(true);
    expect(await page.locator('#revealed-code').count()).toBe(0);
    expect(await page.isVisible('#report-form')).toBe(true);
    expect(plain(await page.content())).not.toContain(plain(sale.card.code));
    expect(plain(stack.current.logs.join('\n'))).not.toContain(plain(sale.card.code));
    await page.context().close();
  });

  it('refunds a code found dead at the button: the refund message, and no code', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    // The seller redeems the code after the sale (F7): the re-check at the button finds it dead.
    expect((await stack.current.issuer('/cards/redeem', { code: sale.card.code })).status).toBe(200);
    const page = await openPage(browser.current, url);
    await pressReveal(page);
    expect(await page.isVisible('#refund-notice')).toBe(true);
    expect(await page.locator('#revealed-code').count()).toBe(0);
    expect(plain(await page.content())).not.toContain(plain(sale.card.code));
    expect((await stack.current.get(`/v1/orders/${sale.orderId}`)).body.state).toBe('refunded');
    await page.context().close();
  });

  it('speaks Chinese to a zh-CN browser, drawn with CJK fonts, and switches to English', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const page = await openPage(browser.current, url, { locale: 'zh-CN' });
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    const label = (await page.textContent('#reveal-button')) ?? '';
    expect(label).toMatch(/\p{Script=Han}/u);
    expect(await page.textContent('h1')).toMatch(/\p{Script=Han}/u);
    // Drawn with a CJK face (fonts-noto-cjk), not fallback boxes.
    expect((await renderedFonts(page, '#reveal-button')).join()).toMatch(/Noto (Sans|Serif) CJK/);

    await Promise.all([page.waitForURL(/[?&]lang=en\b/), page.click('a[hreflang="en"]')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#reveal-button')).not.toMatch(/\p{Script=Han}/u);
    await page.goto(`${url}?lang=zh-CN`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.context().close();
  });

  it('fits a 360 px phone, before and after the reveal: no horizontal scroll, the button and the code on screen', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const phone = PHONE_360;
    for (const locale of ['zh-CN', 'en-US']) {
      const page = await openPage(browser.current, url, { ...phone, locale });
      await fitsWidth(page, 360, ['#reveal-button']);
      const shot = await page.screenshot({ fullPage: true });
      // A PNG as wide as the phone's screen (IHDR width at byte 16), however long the page.
      expect(shot.readUInt32BE(16)).toBe(360 * 2);
      await page.context().close();
    }
    const page = await openPage(browser.current, url, phone);
    await pressReveal(page);
    expect(await revealedCode(page)).toBe(plain(sale.card.code));
    await fitsWidth(page, 360, ['#revealed-code', '#copy-code']);
    // Nothing to tap away from the code: no link at all on this answer (the language switch neither).
    expect(await page.locator('a[href]').count()).toBe(0);
    // A simulator's code, not a real one.
    await saveScreenshot(page, 'reveal');
    await page.context().close();
  });

  it('works without JavaScript: the button is a form POST, the reload shows "revealed", and "show again" shows it again', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const page = await openPage(browser.current, url, { javaScriptEnabled: false });
    await pressReveal(page);
    expect(await revealedCode(page)).toBe(plain(sale.card.code));
    await page.goto(url);
    expect(await page.isVisible('#revealed-notice')).toBe(true);
    expect(await page.locator('#revealed-code').count()).toBe(0);
    // The answer was lost (say the phone dropped it): the link offers it again, within the retry window.
    await page.click('#reveal-again-button');
    await page.waitForSelector('#revealed-code');
    expect(await revealedCode(page)).toBe(plain(sale.card.code));
    await page.context().close();
  });
});
