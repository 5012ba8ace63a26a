import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { pageText } from '../../shared/http/pages/page-text.js';
import { eventsOf, findCodes } from '../support/fraud-helpers.js';
import {
  CookieJar,
  createRevealLink,
  getPage,
  hasId,
  nonceOf,
  postForm,
  SAME_ORIGIN,
  textOf,
} from '../support/link-pages.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

/** A paid order revealed through a fresh link in browser `first`. */
async function revealedIn(first: CookieJar) {
  const { orderId, buyerId, card } = await aPaidOrder(stack.current);
  const link = await createRevealLink(stack.current, orderId, buyerId);
  const nonce = nonceOf((await getPage(stack.current, link.path, {}, first)).html);
  const revealed = await postForm(stack.current, `${link.path}/reveal`, { nonce }, SAME_ORIGIN, first);
  expect(textOf(revealed.html, 'revealed-code')).toBe(normalizeCode(card.code));
  return { orderId, link, nonce, card, revealed };
}

const redelivered = async (orderId: string) =>
  (await eventsOf(stack.current, orderId)).filter((e) => e.type === 'order.redelivered');

describe('"show the code again" belongs to the browser that revealed (issue 20, item 4)', () => {
  it('hands the revealing browser an HttpOnly, SameSite=Strict cookie scoped to the link (not Secure on loopback)', async () => {
    const { link, revealed } = await revealedIn(new CookieJar());
    const cookie = revealed.headers.getSetCookie().find((c) => c.startsWith('cv_reveal='));
    expect(cookie).toBeDefined();
    const attributes = (cookie ?? '').split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain(`path=${link.path.toLowerCase()}`);
    expect(attributes).not.toContain('secure');
    const maxAge = Number(attributes.find((a) => a.startsWith('max-age='))?.slice(8));
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(defaultSettings.revealRetrySeconds);
    // Its value is not the URL's token (only its path names the link).
    const value = (cookie ?? '').split(';')[0]?.slice('cv_reveal='.length) ?? '';
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(value).not.toContain(link.path.split('/').pop());
  });

  it('another browser gets "already revealed": no button, and its press shows nothing and writes no line', async () => {
    const first = new CookieJar();
    const other = new CookieJar();
    const { orderId, link, card } = await revealedIn(first);

    const page = await getPage(stack.current, link.path, {}, other);
    expect(hasId(page.html, 'reveal-again-button')).toBe(false);
    expect(page.html).toContain(pageText.en.alreadyRevealed);
    const pressed = await postForm(
      stack.current,
      `${link.path}/reveal`,
      { nonce: nonceOf(page.html) },
      SAME_ORIGIN,
      other,
    );
    expect(pressed.status, pressed.html).toBe(200);
    expect(findCodes(pressed.html, [card.code])).toEqual([]);
    expect(pressed.html).toContain(pageText.en.alreadyRevealed);
    // A made-up cookie is no better than none.
    const forged = await postForm(
      stack.current,
      `${link.path}/reveal`,
      { nonce: nonceOf(page.html) },
      {
        ...SAME_ORIGIN,
        cookie: `cv_reveal=${'0'.repeat(64)}`,
      },
      new CookieJar(),
    );
    expect(findCodes(forged.html, [card.code])).toEqual([]);
    expect(await redelivered(orderId)).toHaveLength(0);

    // The revealing browser still has its button, and its press shows the code again.
    const back = await getPage(stack.current, link.path, {}, first);
    expect(hasId(back.html, 'reveal-again-button')).toBe(true);
    const again = await postForm(
      stack.current,
      `${link.path}/reveal`,
      { nonce: nonceOf(back.html) },
      SAME_ORIGIN,
      first,
    );
    expect(textOf(again.html, 'revealed-code')).toBe(normalizeCode(card.code));
    expect(await redelivered(orderId)).toHaveLength(1);
  });

  it("one link's cookie opens no other link's re-show", async () => {
    const browser = new CookieJar();
    const one = await revealedIn(browser);
    const two = await revealedIn(new CookieJar());
    const cookie =
      one.revealed.headers
        .getSetCookie()
        .find((c) => c.startsWith('cv_reveal='))
        ?.split(';')[0] ?? '';
    const page = await getPage(stack.current, two.link.path, { cookie }, new CookieJar());
    expect(hasId(page.html, 'reveal-again-button')).toBe(false);
    const pressed = await postForm(
      stack.current,
      `${two.link.path}/reveal`,
      { nonce: two.nonce },
      { ...SAME_ORIGIN, cookie },
      new CookieJar(),
    );
    expect(findCodes(pressed.html, [two.card.code])).toEqual([]);
  });
});
