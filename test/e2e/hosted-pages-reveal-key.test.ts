import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { eventsOf, expectProblem, findCodes } from '../support/fraud-helpers.js';
import { createRevealLink, getPage, hasId, nonceOf, postForm, textOf } from '../support/link-pages.js';
import { aPaidOrder, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Every key a URL's holder could compute: the token itself, its hash, and the formula used before issue 20. */
function keysFromUrl(path: string): string[] {
  const token = path.split('/').pop() ?? '';
  return [
    `hosted-page:${sha256(`reveal-key:${sha256(token)}`)}`,
    `hosted-page:${sha256(token)}`,
    `hosted-page:${token}`,
    token,
    sha256(token),
  ];
}

describe("a reveal link's page key (issue 20, item 4)", () => {
  it('cannot be computed from the URL: the API refuses every such key, shows no code and writes no line', async () => {
    const { orderId, buyerId, card } = await aPaidOrder(stack.current);
    const link = await createRevealLink(stack.current, orderId, buyerId);
    const nonce = nonceOf((await getPage(stack.current, link.path)).html);
    const first = await postForm(stack.current, `${link.path}/reveal`, { nonce });
    expect(textOf(first.html, 'revealed-code')).toBe(normalizeCode(card.code));

    for (const key of keysFromUrl(link.path)) {
      const res = await reveal(stack.current, orderId, buyerId, key);
      expectProblem(res, 409, 'already-revealed');
      expect(findCodes(res.text, [card.code])).toEqual([]);
    }
    const lines = (await eventsOf(stack.current, orderId)).filter((e) => e.type === 'order.redelivered');
    expect(lines).toHaveLength(0);

    // The page itself still knows its key: its "show again" works, and is the one re-delivery.
    const page = await getPage(stack.current, link.path);
    expect(hasId(page.html, 'reveal-again-button')).toBe(true);
    const again = await postForm(stack.current, `${link.path}/reveal`, { nonce: nonceOf(page.html) });
    expect(textOf(again.html, 'revealed-code')).toBe(normalizeCode(card.code));
  });
});
