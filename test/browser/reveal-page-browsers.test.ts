import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pageText } from '../../shared/http/pages/page-text.js';
import { openPage, plain, pressReveal, useBrowser } from '../support/browser.js';
import { createRevealLink } from '../support/link-pages.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const browser = useBrowser();

const revealedCode = async (page: Page) => plain((await page.textContent('#revealed-code')) ?? '');

describe('"show the code again" across browsers (issue 20, item 4), in Chromium', () => {
  it('offers it to the browser that revealed (its cookie), and "already revealed" to a second browser', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url, path } = await createRevealLink(stack.current, sale.orderId, sale.buyerId);
    const first = await openPage(browser.current, url);
    await pressReveal(first);
    expect(await revealedCode(first)).toBe(plain(sale.card.code));
    const [cookie] = await first.context().cookies();
    expect(cookie).toMatchObject({ name: 'cv_reveal', path, httpOnly: true, sameSite: 'Strict' });
    // HttpOnly: the page's own script cannot read it.
    expect(await first.evaluate('document.cookie')).toBe('');

    // A second browser (a forwarded link, a synced history): no button, and the page says why.
    const second = await openPage(browser.current, url);
    expect(await second.locator('#reveal-again-button').count()).toBe(0);
    expect(await second.textContent('#revealed-notice')).toContain(pageText.en.alreadyRevealed);
    expect(plain(await second.content())).not.toContain(plain(sale.card.code));

    // The first browser still has it, and its press shows the code again.
    await first.goto(url);
    expect(await first.locator('#reveal-again-button').count()).toBe(1);
    await first.click('#reveal-again-button');
    await first.waitForSelector('#revealed-code');
    expect(await revealedCode(first)).toBe(plain(sale.card.code));
    await first.context().close();
    await second.context().close();
  }, 60_000);

  it('a PIN link reveals in any browser with its PIN, and in none without it', async () => {
    const sale = await aPaidOrder(stack.current);
    const { url, pin } = await createRevealLink(stack.current, sale.orderId, sale.buyerId, {
      confirm: 'pin',
    });
    const scanner = await openPage(browser.current, url);
    // A scanner presses the button with the field empty: the browser's own check stops it first,
    // and a press that gets through anyway (no script, no validation) is refused by the vault.
    await scanner.evaluate("document.getElementById('reveal-form').noValidate = true");
    await scanner.click('#reveal-button');
    await scanner.waitForSelector('#pin-error');
    expect(plain(await scanner.content())).not.toContain(plain(sale.card.code));

    const buyer = await openPage(browser.current, url);
    await buyer.fill('#pin-input', pin as string);
    await pressReveal(buyer);
    expect(await revealedCode(buyer)).toBe(plain(sale.card.code));
    await scanner.context().close();
    await buyer.context().close();
  });
});
