import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { eventsOf, orderOf, stockOf } from '../support/fraud-helpers.js';
import {
  createDepositLink,
  createRevealLink,
  expectPageHeaders,
  getPage,
  hasId,
  nonceOf,
  type PageResult,
  postForm,
  SAME_ORIGIN,
  textOf,
} from '../support/link-pages.js';
import { aListing, aPaidOrder, mintCode } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['another site’s form (Chromium)', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
  [
    'another site’s form (with its Origin)',
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  ],
  ['a sibling subdomain', { origin: 'https://evil.vault.example', 'sec-fetch-site': 'same-site' }],
  ['an old browser, Origin only', { origin: 'https://evil.example' }],
  ['a privacy-stripped Origin with no fetch metadata', { origin: 'null' }],
];

function expectRefused(page: PageResult): void {
  expect(page.status, page.html).toBe(403);
  expectPageHeaders(page);
  expect(hasId(page.html, 'refused')).toBe(true);
}

async function aRevealLink() {
  const paid = await aPaidOrder(stack.current);
  const link = await createRevealLink(stack.current, paid.orderId, paid.buyerId);
  const nonce = nonceOf((await getPage(stack.current, link.path)).html);
  return { ...paid, link, nonce };
}

async function expectNotRevealed(orderId: string) {
  expect((await orderOf(stack.current, orderId)).state).toBe('paid');
  expect((await eventsOf(stack.current, orderId)).map((e) => e.type)).not.toContain('order.revealed');
}

describe('hosted pages refuse forged form posts (issue 10)', () => {
  it('a reveal without the nonce, or with another link’s nonce, is refused and reveals nothing', async () => {
    const { orderId, link } = await aRevealLink();
    const other = await aRevealLink();
    expectRefused(await postForm(stack.current, `${link.path}/reveal`, {}));
    expectRefused(await postForm(stack.current, `${link.path}/reveal`, { nonce: '' }));
    expectRefused(await postForm(stack.current, `${link.path}/reveal`, { nonce: other.nonce }));
    await expectNotRevealed(orderId);
    await expectNotRevealed(other.orderId);
  });

  it.each(CROSS_SITE)('a reveal from %s is refused, even with the right nonce', async (_, headers) => {
    const { orderId, link, nonce } = await aRevealLink();
    expectRefused(await postForm(stack.current, `${link.path}/reveal`, { nonce }, headers));
    await expectNotRevealed(orderId);
  });

  it('a reveal from this very origin (a browser that keeps Origin) is honoured', async () => {
    const { link, nonce, card } = await aRevealLink();
    const answer = await postForm(
      stack.current,
      `${link.path}/reveal`,
      { nonce },
      { origin: stack.current.apiUrl, 'sec-fetch-site': 'same-origin' },
    );
    expect(textOf(answer.html, 'revealed-code')).toBe(normalizeCode(card.code));
  });

  it('a report without the nonce, or cross-site, is refused and files nothing', async () => {
    const { orderId, link, nonce, card } = await aRevealLink();
    await postForm(stack.current, `${link.path}/reveal`, { nonce });
    expectRefused(await postForm(stack.current, `${link.path}/report`, { cardId: card.cardId }));
    expectRefused(
      await postForm(
        stack.current,
        `${link.path}/report`,
        { nonce, cardId: card.cardId },
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      ),
    );
    // A card that is not this order's is not this page's either.
    expectRefused(
      await postForm(stack.current, `${link.path}/report`, {
        nonce,
        cardId: 'crd_00000000000000000000000000',
      }),
    );
    const types = (await eventsOf(stack.current, orderId)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('report.'))).toEqual([]);
  });

  it('a deposit without the nonce, with another link’s, or cross-site is refused and stores nothing', async () => {
    const { listingId, sellerId } = await aListing(stack.current);
    const link = await createDepositLink(stack.current, listingId, sellerId);
    const other = await aListing(stack.current);
    const otherLink = await createDepositLink(stack.current, other.listingId, other.sellerId);
    const otherNonce = nonceOf((await getPage(stack.current, otherLink.path)).html);
    const nonce = nonceOf((await getPage(stack.current, link.path)).html);
    const { code } = await mintCode(stack.current);
    expectRefused(await postForm(stack.current, `${link.path}/cards`, { codes: code }));
    expectRefused(await postForm(stack.current, `${link.path}/cards`, { nonce: otherNonce, codes: code }));
    expectRefused(
      await postForm(
        stack.current,
        `${link.path}/cards`,
        { nonce, codes: code },
        { origin: 'null', 'sec-fetch-site': 'cross-site' },
      ),
    );
    const stock = await stockOf(stack.current, listingId);
    expect(Object.values(stock).reduce((a, b) => a + b, 0)).toBe(0);
    // The same code through the right form is accepted: nothing was half-stored before.
    const ok = await postForm(stack.current, `${link.path}/cards`, { nonce, codes: code }, SAME_ORIGIN);
    expect(ok.status, ok.html).toBe(200);
    expect(ok.html).toContain('data-outcome="accepted"');
  });

  it('a reveal link’s nonce opens no deposit form and a deposit link opens no reveal', async () => {
    const { link: revealLink, nonce } = await aRevealLink();
    const { listingId, sellerId } = await aListing(stack.current);
    const depositLink = await createDepositLink(stack.current, listingId, sellerId);
    expect((await postForm(stack.current, `${revealLink.path}/cards`, { nonce, codes: 'X' })).status).toBe(
      404,
    );
    expect((await postForm(stack.current, `${depositLink.path}/reveal`, { nonce })).status).toBe(404);
  });
});
