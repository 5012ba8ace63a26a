import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { pageText } from '../../shared/http/pages/page-text.js';
import { eventsOf, findCodes } from '../support/fraud-helpers.js';
import { createRevealLink, getPage, hasId, nonceOf, postForm, textOf } from '../support/link-pages.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const seen = { decrypts: 0 };
const stack = useTestStack(
  {},
  {
    cipher: (call) => {
      if (call === 'decrypt') seen.decrypts += 1;
    },
  },
);

const MAX = defaultSettings.linkRedeliveries;
const en = pageText.en;

/** A paid order revealed through a fresh link, with that link's path and form nonce. */
async function revealedThroughLink() {
  const { orderId, buyerId, card } = await aPaidOrder(stack.current);
  const link = await createRevealLink(stack.current, orderId, buyerId);
  const nonce = nonceOf((await getPage(stack.current, link.path)).html);
  const first = await postForm(stack.current, `${link.path}/reveal`, { nonce });
  expect(first.status, first.html).toBe(200);
  expect(textOf(first.html, 'revealed-code')).toBe(normalizeCode(card.code));
  return { orderId, link, nonce, card };
}

const redeliveredLines = async (orderId: string) =>
  (await eventsOf(stack.current, orderId)).filter((e) => e.type === 'order.redelivered');

describe('a reveal link shows the code again at most LINK_REDELIVERIES times (issue 19)', () => {
  it('refuses the sixth "show again": the page says so in words, shows no code, writes no trail line', async () => {
    const { orderId, link, nonce, card } = await revealedThroughLink();
    for (let i = 1; i <= MAX; i++) {
      const page = await getPage(stack.current, link.path);
      expect(hasId(page.html, 'reveal-again-button')).toBe(true);
      expect(textOf(page.html, 'reveal-again-left')).toBe(en.againLeft(MAX - i + 1));
      const again = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(page.html) });
      expect(again.status, again.html).toBe(200);
      expect(textOf(again.html, 'revealed-code')).toBe(normalizeCode(card.code));
      expect(textOf(again.html, 'again-left')).toBe(i === MAX ? en.againSpent : en.againLeft(MAX - i));
    }
    expect(await redeliveredLines(orderId)).toHaveLength(MAX);
    const decryptsBefore = seen.decrypts;

    // The sixth press (a form kept open, so no button is needed to send it): refused, in words.
    const sixth = await postForm(stack.current, `${link.path}/reveal`, { nonce });
    expect(sixth.status, sixth.html).toBe(200);
    expect(hasId(sixth.html, 'revealed-code')).toBe(false);
    expect(findCodes(sixth.html, [card.code])).toEqual([]);
    expect(textOf(sixth.html, 'redeliveries-spent')).toBe(en.redeliveriesSpent);
    expect(seen.decrypts).toBe(decryptsBefore);
    expect(await redeliveredLines(orderId)).toHaveLength(MAX);

    // Opening the link again, in another language or another browser, starts nothing afresh.
    const reopened = await getPage(stack.current, link.path, { 'accept-language': 'zh-CN' });
    expect(hasId(reopened.html, 'reveal-again-button')).toBe(false);
    expect(textOf(reopened.html, 'redeliveries-spent')).toBe(pageText['zh-CN'].redeliveriesSpent);
    const fresh = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(reopened.html) });
    expect(hasId(fresh.html, 'redeliveries-spent')).toBe(true);
    expect(await redeliveredLines(orderId)).toHaveLength(MAX);
  });

  it('20 concurrent presses show the code again at most 5 times, with as many trail lines and decrypts', async () => {
    const { orderId, link, nonce, card } = await revealedThroughLink();
    const decryptsBefore = seen.decrypts;

    const presses = await Promise.all(
      Array.from({ length: 20 }, () => postForm(stack.current, `${link.path}/reveal`, { nonce })),
    );

    for (const press of presses) expect(press.status, press.html).toBe(200);
    const shown = presses.filter((p) => textOf(p.html, 'revealed-code') === normalizeCode(card.code));
    const refused = presses.filter((p) => hasId(p.html, 'redeliveries-spent'));
    expect(shown).toHaveLength(MAX);
    expect(refused).toHaveLength(20 - MAX);
    expect(seen.decrypts - decryptsBefore).toBe(MAX);
    expect(await redeliveredLines(orderId)).toHaveLength(MAX);
  });

  it("20 concurrent first presses: one reveal, then the link's re-deliveries, never more", async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const nonce = nonceOf((await getPage(stack.current, link.path)).html);

    const presses = await Promise.all(
      Array.from({ length: 20 }, () => postForm(stack.current, `${link.path}/reveal`, { nonce })),
    );

    const shown = presses.filter((p) => textOf(p.html, 'revealed-code') === normalizeCode(card.code));
    expect(shown.length).toBeLessThanOrEqual(1 + MAX);
    const trail = await eventsOf(stack.current, orderId);
    expect(trail.filter((e) => e.type === 'order.revealed')).toHaveLength(1);
    expect(trail.filter((e) => e.type === 'order.redelivered')).toHaveLength(shown.length - 1);
  });
});
