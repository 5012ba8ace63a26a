import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { DEV_TENANT_NAME } from '../../shared/local/local-stack.js';
import { eventsOf, findCodes, orderOf, redeemAtIssuer } from '../support/fraud-helpers.js';
import {
  createRevealLink,
  expectPageHeaders,
  getPage,
  hasId,
  nonceOf,
  postForm,
  textOf,
} from '../support/link-pages.js';
import { aPaidOrder, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

const BOT = { 'user-agent': 'TelegramBot (like TwitterBot)', accept: 'text/html' };

describe('hosted reveal page (issue 10)', () => {
  it('opening the link, by a preview bot or anyone, shows the order and the button and reveals nothing', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    for (let i = 0; i < 3; i++) {
      const page = await getPage(stack.current, link.path, BOT);
      expect(page.status).toBe(200);
      expectPageHeaders(page);
      expect(hasId(page.html, 'reveal-button')).toBe(true);
      expect(findCodes(page.html, [card.code])).toEqual([]);
    }
    expect((await orderOf(stack.current, orderId)).state).toBe('paid');
    const events = await eventsOf(stack.current, orderId);
    expect(events.map((e) => e.type)).not.toContain('order.revealed');
  });

  it('the button reveals the code once (channel hosted_page on the trail); a reload shows "revealed", no code', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const opened = await getPage(stack.current, link.path);
    const revealed = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(opened.html) });
    expect(revealed.status, revealed.html).toBe(200);
    expectPageHeaders(revealed);
    expect(textOf(revealed.html, 'revealed-code')).toBe(normalizeCode(card.code));
    expect(hasId(revealed.html, 'copy-code')).toBe(true);
    expect(hasId(revealed.html, 'redemption-hint')).toBe(true);

    const reload = await getPage(stack.current, link.path);
    expectPageHeaders(reload);
    expect(hasId(reload.html, 'revealed-notice')).toBe(true);
    expect(hasId(reload.html, 'reveal-button')).toBe(false);
    expect(hasId(reload.html, 'report-form')).toBe(true);
    expect(findCodes(reload.html, [card.code])).toEqual([]);

    const revealedEvent = (await eventsOf(stack.current, orderId)).find((e) => e.type === 'order.revealed');
    expect(revealedEvent?.data?.channel).toBe('hosted_page');
  });

  it('a lost answer is not a lost code: a press again within REVEAL_RETRY_SECONDS shows the same code, then "revealed at"', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId, { expiresInSeconds: 7 * 86_400 });
    const nonce = nonceOf((await getPage(stack.current, link.path)).html);
    // The answer is lost (a dropped connection, a timeout after the commit): nobody reads it.
    await postForm(stack.current, `${link.path}/reveal`, { nonce });

    const back = await getPage(stack.current, link.path);
    expect(hasId(back.html, 'revealed-notice')).toBe(true);
    expect(hasId(back.html, 'reveal-again-button')).toBe(true);
    expect(findCodes(back.html, [card.code])).toEqual([]);
    stack.current.clock.advance(3600);
    const again = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(back.html) });
    expect(again.status, again.html).toBe(200);
    expect(textOf(again.html, 'revealed-code')).toBe(normalizeCode(card.code));
    const redelivered = (await eventsOf(stack.current, orderId)).filter(
      (e) => e.type === 'order.redelivered',
    );
    expect(redelivered.map((e) => e.data?.channel)).toEqual(['hosted_page']);

    stack.current.clock.advance(86_400 - 3600 + 1);
    const late = await postForm(stack.current, `${link.path}/reveal`, { nonce });
    expect(late.status).toBe(200);
    expect(hasId(late.html, 'revealed-notice')).toBe(true);
    expect(hasId(late.html, 'reveal-again-button')).toBe(false);
    expect(findCodes(late.html, [card.code])).toEqual([]);
  });

  it('shows the code again to no one else: another link of the order, an API reveal, a forged post', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const other = await createRevealLink(stack.current, orderId, buyerId);
    const nonce = nonceOf((await getPage(stack.current, link.path)).html);
    const otherNonce = nonceOf((await getPage(stack.current, other.path)).html);
    expect(
      textOf((await postForm(stack.current, `${link.path}/reveal`, { nonce })).html, 'revealed-code'),
    ).toBe(normalizeCode(card.code));

    const viaOther = await postForm(stack.current, `${other.path}/reveal`, { nonce: otherNonce });
    expect(hasId(viaOther.html, 'revealed-notice')).toBe(true);
    expect(hasId(viaOther.html, 'reveal-again-button')).toBe(false);
    const forged = [
      await postForm(stack.current, `${link.path}/reveal`, {}),
      await postForm(stack.current, `${link.path}/reveal`, { nonce: otherNonce }),
      await postForm(stack.current, `${link.path}/reveal`, { nonce }, { origin: 'https://evil.example' }),
    ];
    expect(forged.map((p) => p.status)).toEqual([403, 403, 403]);
    for (const page of [viaOther, ...forged]) expect(findCodes(page.html, [card.code])).toEqual([]);

    const byApi = await aPaidOrder(stack.current);
    expect((await reveal(stack.current, byApi.orderId, byApi.buyerId)).status).toBe(200);
    const apiLink = await createRevealLink(stack.current, byApi.orderId, byApi.buyerId);
    const apiNonce = nonceOf((await getPage(stack.current, apiLink.path)).html);
    const afterApi = await postForm(stack.current, `${apiLink.path}/reveal`, { nonce: apiNonce });
    expect(hasId(afterApi.html, 'revealed-notice')).toBe(true);
    expect(findCodes(afterApi.html, [byApi.card.code])).toEqual([]);
  });

  it('the answer with the code has no link to leave it by (no language switch); the other pages keep theirs', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const opened = await getPage(stack.current, link.path);
    expect(hasId(opened.html, 'lang-switch')).toBe(true);
    const revealed = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(opened.html) });
    expect(hasId(revealed.html, 'revealed-code')).toBe(true);
    expect(revealed.html).not.toMatch(/<a\s[^>]*href/i);
    expect(hasId((await getPage(stack.current, link.path)).html, 'lang-switch')).toBe(true);
  });

  it("says when it was revealed in words of the page's language, with the instant in <time datetime>", async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const nonce = nonceOf((await getPage(stack.current, link.path)).html);
    const revealed = await postForm(stack.current, `${link.path}/reveal`, { nonce });
    const at = /<time id="revealed-time" datetime="([^"]+)">/.exec(revealed.html)?.[1] ?? '';
    const d = new Date(at);
    expect(d.toISOString()).toBe(at);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const hhmm = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())} UTC`;
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    expect(textOf(revealed.html, 'revealed-time')).toBe(`${y}-${p2(m)}-${p2(day)} ${hhmm}`);
    const zh = await getPage(stack.current, `${link.path}?lang=zh-CN`);
    expect(zh.html).toContain(`<time datetime="${at}">${y}年${m}月${day}日 ${hhmm}</time>`);
    const en = await getPage(stack.current, `${link.path}?lang=en`);
    expect(en.html).toContain(`<time datetime="${at}">${y}-${p2(m)}-${p2(day)} ${hhmm}</time>`);
    expect(en.html).not.toContain(`>${at}<`);
  });

  it('a reveal through the API is recorded as channel api, and the link then says so without claiming it', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    expect((await reveal(stack.current, orderId, buyerId)).status).toBe(200);
    const revealedEvent = (await eventsOf(stack.current, orderId)).find((e) => e.type === 'order.revealed');
    expect(revealedEvent?.data?.channel).toBe('api');
    // The link did not reveal it: the page must not say it did, nor offer it again, nor show it.
    const page = await getPage(stack.current, link.path);
    expect(hasId(page.html, 'revealed-notice')).toBe(true);
    expect(hasId(page.html, 'reveal-again-button')).toBe(false);
    expect(textOf(page.html, 'revealed-notice')).not.toMatch(/on this link/);
    expect(findCodes(page.html, [card.code])).toEqual([]);
  });

  it('a code dead at the button is not shown: the refund message, the order refunded', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const opened = await getPage(stack.current, link.path);
    await redeemAtIssuer(stack.current, card.code);
    const answer = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(opened.html) });
    expect(answer.status).toBe(200);
    expectPageHeaders(answer);
    expect(hasId(answer.html, 'refund-notice')).toBe(true);
    expect(hasId(answer.html, 'revealed-code')).toBe(false);
    expect(findCodes(answer.html, [card.code])).toEqual([]);
    expect((await orderOf(stack.current, orderId)).state).toBe('refunded');
    const reload = await getPage(stack.current, link.path);
    expect(hasId(reload.html, 'refund-notice')).toBe(true);
  });

  it('a report from the page goes through the decision table', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const opened = await getPage(stack.current, link.path);
    await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(opened.html) });
    // Redeemed well after the reveal: the table rejects the report (F5).
    stack.current.clock.advance(3600);
    await redeemAtIssuer(stack.current, card.code);
    const answer = await postForm(stack.current, `${link.path}/report`, {
      nonce: nonceOf(opened.html),
      cardId: card.cardId,
      reason: 'already_redeemed',
    });
    expect(answer.status, answer.html).toBe(200);
    expectPageHeaders(answer);
    expect(textOf(answer.html, 'report-result')).toMatch(/rejected/i);
    const events = await eventsOf(stack.current, orderId);
    expect(events.map((e) => e.type)).toContain('report.rejected');
    const twice = await postForm(stack.current, `${link.path}/report`, {
      nonce: nonceOf(opened.html),
      cardId: card.cardId,
    });
    expect(textOf(twice.html, 'report-result')).toMatch(/already reported/i);
  });

  it('speaks zh-CN when Accept-Language asks, with a switch to English carried into the form', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const zh = await getPage(stack.current, link.path, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(textOf(zh.html, 'reveal-button')).toBe('查看卡密');
    expect(zh.html).toContain(`href="${link.path}?lang=en"`);
    expect(zh.html).toContain('name="lang" value="zh-CN"');
    const en = await getPage(stack.current, `${link.path}?lang=en`, { 'accept-language': 'zh-CN' });
    expect(en.html).toContain('<html lang="en">');
    expect(textOf(en.html, 'reveal-button')).toBe('Reveal code');
    const fallback = await getPage(stack.current, link.path, { 'accept-language': 'fr-FR' });
    expect(fallback.html).toContain('<html lang="en">');
  });

  it('shows the tenant name and the logo, whose origin alone the CSP allows for images', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const logoUrl = 'https://cdn.market.example/logo.png';
    const link = await createRevealLink(stack.current, orderId, buyerId, { logoUrl });
    const page = await getPage(stack.current, link.path);
    // The test stack's tenant is the one `npm start` seeds; without a name the layout says "card-vault".
    expect(textOf(page.html, 'tenant-name')).toBe(DEV_TENANT_NAME);
    expect(textOf(page.html, 'summary-title')).toBe(`Order on ${DEV_TENANT_NAME}`);
    expect(page.html).toContain(`src="${logoUrl}"`);
    expect(page.headers.get('content-security-policy')).toContain(
      "img-src 'self' https://cdn.market.example",
    );
  });

  it('unknown, malformed, expired and revoked links answer the same 404 page', async () => {
    const { orderId, buyerId } = await aPaidOrder(stack.current);
    const revoked = await createRevealLink(stack.current, orderId, buyerId);
    expect((await stack.current.request('DELETE', `/v1/links/${revoked.linkId}`)).status).toBe(200);
    const expiring = await createRevealLink(stack.current, orderId, buyerId, { expiresInSeconds: 60 });
    stack.current.clock.advance(61);
    const pages = await Promise.all(
      [`/links/${'A'.repeat(43)}`, `/links/${unique('junk')}`, `/links/x/y`, revoked.path, expiring.path].map(
        (path) => getPage(stack.current, path),
      ),
    );
    for (const page of pages) {
      expect(page.status).toBe(404);
      expectPageHeaders(page);
      expect(hasId(page.html, 'invalid-link')).toBe(true);
    }
    expect(new Set(pages.map((p) => p.html)).size).toBe(1);
    const post = await postForm(stack.current, `${revoked.path}/reveal`, { nonce: 'x' });
    expect(post.status).toBe(404);
    expect((await orderOf(stack.current, orderId)).state).toBe('paid');
  });

  it('serves its stylesheet and script from its own origin', async () => {
    for (const [path, type] of [
      ['/links/assets/page.css', 'text/css'],
      ['/links/assets/page.js', 'text/javascript'],
    ] as const) {
      const res = await fetch(`${stack.current.apiUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
