import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { PIN_TRIES } from '../../shared/domain/link.js';
import { pageText } from '../../shared/http/pages/page-text.js';
import { eventsOf, findCodes, orderOf, scanTable } from '../support/fraud-helpers.js';
import { createRevealLink, getPage, hasId, nonceOf, postForm, textOf } from '../support/link-pages.js';
import { aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const en = pageText.en;

/** Another six digits than `pin`: the i-th wrong guess. */
const wrong = (pin: string, i = 0) => String((Number(pin) + 1 + i) % 1_000_000).padStart(6, '0');

async function aPinLink() {
  const paid = await aPaidOrder(stack.current);
  const link = await createRevealLink(stack.current, paid.orderId, paid.buyerId, { confirm: 'pin' });
  const page = await getPage(stack.current, link.path);
  return { ...paid, link, pin: link.pin as string, nonce: nonceOf(page.html), page };
}

const press = (path: string, fields: Record<string, string>) =>
  postForm(stack.current, `${path}/reveal`, fields);

const linesOf = async (orderId: string, type: string) =>
  (await eventsOf(stack.current, orderId)).filter((e) => e.type === type);

describe('reveal links with confirm: "pin" (issue 20, item 4)', () => {
  it('answers a 6-digit PIN once, stored nowhere in the table; links without confirm get none', async () => {
    const { orderId, buyerId, link, pin } = await aPinLink();
    expect(pin).toMatch(/^[0-9]{6}$/);
    const plain = await stack.current.post(`/v1/orders/${orderId}/reveal-links`, { buyerId });
    expect(plain.body.pin).toBeUndefined();
    expect((await stack.current.get(`/v1/links/${link.linkId}`)).text).not.toContain(pin);
    const items = await scanTable(stack.current);
    const linkItems = items.filter((item) => JSON.stringify(item).includes(link.linkId));
    expect(linkItems.length).toBeGreaterThan(0);
    for (const item of linkItems) expect(Object.values(item)).not.toContain(pin);
  });

  it("a scanner's GET and its press without the PIN reveal nothing, count no try, and leave the order paid", async () => {
    const { orderId, link, card, nonce, page } = await aPinLink();
    expect(hasId(page.html, 'pin-input')).toBe(true);
    expect(findCodes(page.html, [card.code])).toEqual([]);

    const pressed = await press(link.path, { nonce });
    expect(pressed.status, pressed.html).toBe(200);
    expect(findCodes(pressed.html, [card.code])).toEqual([]);
    expect(hasId(pressed.html, 'revealed-code')).toBe(false);
    expect(textOf(pressed.html, 'pin-error')).toBe(en.pinMissing);
    expect((await orderOf(stack.current, orderId)).state).toBe('paid');
    expect(await linesOf(orderId, 'order.revealed')).toHaveLength(0);

    // Uncounted: the five wrong PINs the link takes are all still there.
    const first = await press(link.path, { nonce, pin: '000000' === link.pin ? '111111' : '000000' });
    expect(textOf(first.html, 'pin-error')).toBe(en.pinWrong(PIN_TRIES - 1));
  });

  it('refuses a wrong PIN, reveals with the right one, and shows the code again only with the PIN', async () => {
    const { orderId, link, card, nonce, pin } = await aPinLink();
    const refused = await press(link.path, { nonce, pin: wrong(pin) });
    expect(hasId(refused.html, 'revealed-code')).toBe(false);
    expect(textOf(refused.html, 'pin-error')).toBe(en.pinWrong(PIN_TRIES - 1));

    const revealed = await press(link.path, { nonce, pin });
    expect(textOf(revealed.html, 'revealed-code')).toBe(normalizeCode(card.code));
    expect(await linesOf(orderId, 'order.revealed')).toHaveLength(1);

    // "Show the code again": the page asks for the PIN too, and shows nothing without it.
    const reopened = await getPage(stack.current, link.path);
    expect(hasId(reopened.html, 'reveal-again-button')).toBe(true);
    expect(hasId(reopened.html, 'pin-input')).toBe(true);
    const bare = await press(link.path, { nonce });
    expect(findCodes(bare.html, [card.code])).toEqual([]);
    const again = await press(link.path, { nonce, pin });
    expect(textOf(again.html, 'revealed-code')).toBe(normalizeCode(card.code));
    expect(await linesOf(orderId, 'order.redelivered')).toHaveLength(1);
  });

  it('locks after 5 wrong PINs: one link.locked line naming the link (no PIN), and the right PIN then reveals nothing', async () => {
    const { orderId, link, card, nonce, pin } = await aPinLink();
    for (let i = 0; i < PIN_TRIES; i++) {
      const res = await press(link.path, { nonce, pin: wrong(pin, i) });
      if (i < PIN_TRIES - 1) expect(textOf(res.html, 'pin-error')).toBe(en.pinWrong(PIN_TRIES - 1 - i));
      else expect(textOf(res.html, 'pin-locked')).toBe(en.pinLocked);
    }
    const late = await press(link.path, { nonce, pin });
    expect(findCodes(late.html, [card.code])).toEqual([]);
    expect(hasId(late.html, 'pin-locked')).toBe(true);
    const page = await getPage(stack.current, link.path, { 'accept-language': 'zh-CN' });
    expect(textOf(page.html, 'pin-locked')).toBe(pageText['zh-CN'].pinLocked);
    expect(hasId(page.html, 'reveal-form')).toBe(false);
    expect((await orderOf(stack.current, orderId)).state).toBe('paid');

    const locked = await linesOf(orderId, 'link.locked');
    expect(locked).toHaveLength(1);
    expect(locked[0].data).toEqual({ linkId: link.linkId, channel: 'hosted_page' });
    expect(JSON.stringify(await eventsOf(stack.current, orderId))).not.toContain(pin);
  });

  it('20 concurrent wrong PINs lock the link after exactly 5 counted tries, with one link.locked line', async () => {
    const { orderId, link, card, nonce, pin } = await aPinLink();
    const presses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => press(link.path, { nonce, pin: wrong(pin, i) })),
    );
    for (const p of presses) expect(p.status, p.html).toBe(200);
    // Every answer refuses: "wrong" (the link not yet locked when the page was drawn) or "locked".
    for (const p of presses) {
      expect(findCodes(p.html, [card.code])).toEqual([]);
      expect(hasId(p.html, 'pin-error') || hasId(p.html, 'pin-locked'), p.html).toBe(true);
    }
    // Exactly five counted on the link, whatever the interleaving (one conditional write each).
    const pointer = (await scanTable(stack.current)).find(
      (item) => item.entity === 'LinkPointer' && item.linkId === link.linkId,
    );
    expect(pointer?.pinFailures).toBe(PIN_TRIES);
    expect(await linesOf(orderId, 'link.locked')).toHaveLength(1);
    const right = await press(link.path, { nonce, pin });
    expect(findCodes(right.html, [card.code])).toEqual([]);
  });
});
