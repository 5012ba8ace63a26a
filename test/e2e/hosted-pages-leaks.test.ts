import { describe, expect, it } from 'vitest';
import { findCodes, redeemAtIssuer, scanTable } from '../support/fraud-helpers.js';
import {
  createDepositLink,
  createRevealLink,
  getPage,
  nonceOf,
  type PageResult,
  postForm,
  textOf,
} from '../support/link-pages.js';
import { aListing, anOrder, mintCode, pay } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('hosted pages leak no code (issue 10)', () => {
  it('a code deposited and revealed through the pages is in the one reveal answer (and its re-delivery) only: no other page, no log, no table item', async () => {
    const s = stack.current;
    const pages: Array<{ what: string; page: PageResult }> = [];
    const keep = (what: string, page: PageResult) => {
      pages.push({ what, page });
      return page;
    };
    const { listingId, sellerId } = await aListing(s, { brand: 'demo-pin' });
    const minted = [await mintCode(s, 5000, 'demo-pin'), await mintCode(s, 5000, 'demo-pin')];
    const codes = minted.map((c) => c.code);
    const pins = minted.flatMap((c) => (c.pin ? [c.pin] : []));

    const depositLink = await createDepositLink(s, listingId, sellerId);
    const depositPage = keep('deposit page', await getPage(s, depositLink.path));
    keep(
      'deposit answer',
      await postForm(s, `${depositLink.path}/cards`, {
        nonce: nonceOf(depositPage.html),
        codes: minted.map((c) => `${c.code},${c.pin}`).join('\n'),
      }),
    );
    keep('deposit page again', await getPage(s, depositLink.path));

    const { order, orderId, buyerId } = await anOrder(s, listingId, undefined, 2);
    await pay(s, order);
    const revealLink = await createRevealLink(s, orderId, buyerId, { expiresInSeconds: 7 * 86_400 });
    const opened = keep('reveal page (bot)', await getPage(s, revealLink.path, { 'user-agent': 'Slackbot' }));
    const revealed = await postForm(s, `${revealLink.path}/reveal`, { nonce: nonceOf(opened.html) });
    keep('reload', await getPage(s, revealLink.path));
    // A press again within REVEAL_RETRY_SECONDS is the same answer again (a lost one is not a lost code).
    const again = await postForm(s, `${revealLink.path}/reveal`, { nonce: nonceOf(opened.html) });
    keep('refused', await postForm(s, `${revealLink.path}/reveal`, { nonce: 'forged' }));
    await redeemAtIssuer(s, codes[0] as string);
    const reloaded = pages.find((p) => p.what === 'reload')?.page.html ?? '';
    const reportCard = /<option value="(crd_[^"]+)"/.exec(reloaded)?.[1] ?? '';
    keep(
      'report answer',
      await postForm(s, `${revealLink.path}/report`, { nonce: nonceOf(opened.html), cardId: reportCard }),
    );
    s.clock.advance(86_400 + 1);
    keep(
      'press after the retry window',
      await postForm(s, `${revealLink.path}/reveal`, { nonce: nonceOf(opened.html) }),
    );
    keep('reload after the retry window', await getPage(s, revealLink.path));

    // The one answer meant to carry them does (and its re-delivery): both codes and PINs.
    expect(findCodes(revealed.html, codes)).toEqual(codes);
    expect(findCodes(again.html, codes)).toEqual(codes);
    expect([textOf(revealed.html, 'revealed-pin'), textOf(revealed.html, 'revealed-pin-2')].sort()).toEqual(
      [...pins].sort(),
    );
    for (const { what, page } of pages) {
      expect(findCodes(page.html, codes), what).toEqual([]);
    }
    expect(findCodes(s.logs.join('\n'), codes)).toEqual([]);
    expect(findCodes(JSON.stringify(await scanTable(s)), codes)).toEqual([]);
  });
});
