import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import {
  ALNUM,
  expectProblem,
  issuerChecks,
  issuerOutage,
  stockOf,
  wrongCodes,
} from '../support/fraud-helpers.js';
import { createDepositLink, getPage, hasId, nonceOf, postForm, textOf } from '../support/link-pages.js';
import { aListing, mintCode } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/** Issue 19 item 1: the issuer check is not a code-guessing service (DEPOSIT_REJECT_BUDGET 20). */
const stack = useTestStack();
const BUDGET = 20;

/** A live code with its last character unknown: the guesser tries each candidate in turn. */
function guessesOf(code: string, n: number): string[] {
  const known = normalizeCode(code);
  const alphabet = ALNUM.split('').filter((ch) => ch !== known.at(-1));
  const wrong = alphabet.slice(0, n - 1).map((ch) => `${known.slice(0, -1)}${ch}`);
  // The right one comes late, past the budget: the guesser never gets to it.
  return [...wrong.slice(0, 24), known, ...wrong.slice(24)];
}

describe('a budget of rejected codes per seller', () => {
  it('stops 30 guesses through a deposit link: the budget, then 429 with no issuer call, and a locked page', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    const other = await aListing(s);
    const link = await createDepositLink(s, listingId, sellerId);
    const live = await mintCode(s);
    const nonce = nonceOf((await getPage(s, link.path)).html);
    const before = await issuerChecks(s);
    const outcomes: string[] = [];
    for (const guess of guessesOf(live.code, 30)) {
      const answer = await postForm(s, `${link.path}/cards`, { nonce, codes: guess });
      const item = /<li data-outcome="(\w+)">/.exec(answer.html)?.[1];
      outcomes.push(answer.status === 429 ? 'locked' : `${item}`);
    }
    expect(outcomes.slice(0, BUDGET)).toEqual(Array(BUDGET).fill('rejected'));
    expect(outcomes.slice(BUDGET)).toEqual(Array(30 - BUDGET).fill('locked'));
    expect(await issuerChecks(s)).toBe(before + BUDGET);
    expect((await stockOf(s, listingId)).available ?? 0).toBe(0);

    // The link page says so, in both languages, with no form; a form post (no script) changes nothing.
    const page = await getPage(s, link.path);
    expect(hasId(page.html, 'deposit-locked')).toBe(true);
    expect(hasId(page.html, 'deposit-form')).toBe(false);
    expect(textOf(page.html, 'deposit-locked')).toContain('Deposits locked');
    const zh = await getPage(s, `${link.path}?lang=zh-CN`);
    expect(textOf(zh.html, 'deposit-locked')).toContain('存入已锁定');
    const posted = await postForm(s, `${link.path}/cards`, { nonce, codes: live.code });
    expect(posted.status).toBe(429);
    expect(hasId(posted.html, 'deposit-locked')).toBe(true);

    // The seller's API deposits too: 429 with Retry-After, and still no issuer call.
    const fresh = await mintCode(s);
    const api = await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: fresh.code }] });
    expectProblem(api, 429, 'deposit-budget-exhausted');
    const wait = Number(api.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(3_500);
    expect(wait).toBeLessThanOrEqual(3_600);
    expect(await issuerChecks(s)).toBe(before + BUDGET);

    const standing = (await s.get(`/v1/sellers/${sellerId}`)).body;
    expect(standing.deposits).toMatchObject({
      locked: true,
      operatorUnlockRequired: false,
      rejectedLastHour: BUDGET,
      budget: BUDGET,
    });
    expect(Date.parse(standing.deposits.lockedUntil) - s.clock.now().getTime()).toBeGreaterThan(3_500_000);
    const events = (await s.get(`/v1/sellers/${sellerId}/events`)).body;
    expect(JSON.stringify(events)).toContain('seller.deposits_locked');

    // Another seller of the same tenant is not affected.
    const theirs = await s.post(`/v1/listings/${other.listingId}/cards`, { cards: [{ code: fresh.code }] });
    expect(theirs.body.results[0].outcome, theirs.text).toBe('accepted');

    // An hour after the oldest rejection, the seller deposits again.
    s.clock.advance(3_601);
    const later = await mintCode(s);
    const again = await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: later.code }] });
    expect(again.body.results[0].outcome, again.text).toBe('accepted');
    expect((await s.get(`/v1/sellers/${sellerId}`)).body.deposits.locked).toBe(false);
  });

  it('stops calling the issuer in a batch of 50 once the budget is spent: the rest are not checked', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const before = await issuerChecks(s);
    const res = await s.post(`/v1/listings/${listingId}/cards`, {
      cards: wrongCodes(50).map((code) => ({ code })),
    });
    expect(res.status, res.text).toBe(200);
    const outcomes = res.body.results.map(
      (r: { outcome: string; reason: string }) => `${r.outcome}/${r.reason}`,
    );
    expect(outcomes.filter((o: string) => o === 'rejected/invalid_code')).toHaveLength(BUDGET);
    expect(outcomes.filter((o: string) => o === 'not_checked/deposit_budget_exhausted')).toHaveLength(
      50 - BUDGET,
    );
    expect(await issuerChecks(s)).toBe(before + BUDGET);
  });

  it('lets no burst of parallel deposits past the budget (API and link, real concurrent requests)', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    const link = await createDepositLink(s, listingId, sellerId);
    const nonce = nonceOf((await getPage(s, link.path)).html);
    const before = await issuerChecks(s);
    const codes = wrongCodes(60);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const pair = codes.slice(i * 2, i * 2 + 2);
        return i % 2 === 0
          ? s.post(`/v1/listings/${listingId}/cards`, { cards: pair.map((code) => ({ code })) })
          : postForm(s, `${link.path}/cards`, { nonce, codes: pair.join('\n') });
      }),
    );
    const statuses = answers.map((a) => a.status);
    expect(await issuerChecks(s)).toBe(before + BUDGET);
    expect(
      statuses.every((st) => st === 200 || st === 429),
      String(statuses),
    ).toBe(true);
    const standing = (await s.get(`/v1/sellers/${sellerId}`)).body.deposits;
    expect(standing).toMatchObject({ locked: true, rejectedLastHour: BUDGET });
  });

  // Last: the outage opens the issuer adapter's circuit for a while.
  it("never counts an honest seller's accepted codes, nor codes the issuer did not answer", async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    const codes = [];
    for (let i = 0; i < 25; i++) codes.push(await mintCode(s));
    const res = await s.post(`/v1/listings/${listingId}/cards`, {
      cards: codes.map((c) => ({ code: c.code })),
    });
    expect(
      res.body.results.every((r: { outcome: string }) => r.outcome === 'accepted'),
      res.text,
    ).toBe(true);
    await issuerOutage(s, true);
    try {
      const down = await s.post(`/v1/listings/${listingId}/cards`, {
        cards: wrongCodes(25).map((code) => ({ code })),
      });
      expect(
        down.body.results.every((r: { outcome: string }) => r.outcome === 'pending'),
        down.text,
      ).toBe(true);
    } finally {
      await issuerOutage(s, false);
    }
    const deposits = (await s.get(`/v1/sellers/${sellerId}`)).body.deposits;
    expect(deposits).toMatchObject({ locked: false, rejectedLastHour: 0 });
  });
});
