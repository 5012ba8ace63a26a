import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { findCodes, redeemAtIssuer, stockOf } from '../support/fraud-helpers.js';
import {
  createDepositLink,
  expectPageHeaders,
  getPage,
  hasId,
  nonceOf,
  postForm,
  SAME_ORIGIN,
  textOf,
} from '../support/link-pages.js';
import { aListing, mintCode } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

async function aDepositPage(brand = 'demo-gift') {
  const { listingId, sellerId } = await aListing(stack.current, { brand });
  const link = await createDepositLink(stack.current, listingId, sellerId);
  const page = await getPage(stack.current, link.path);
  return { listingId, link, page, nonce: nonceOf(page.html) };
}

const mint = async (n: number, brand = 'demo-gift') => {
  const codes = [];
  for (let i = 0; i < n; i++) codes.push(await mintCode(stack.current, 5000, brand));
  return codes;
};

const items = (html: string) => [...html.matchAll(/<li data-outcome="(\w+)">([\s\S]*?)<\/li>/g)];

describe('hosted deposit page (issue 10)', () => {
  it('shows the form with its hooks and the page headers', async () => {
    const { page } = await aDepositPage();
    expect(page.status).toBe(200);
    expectPageHeaders(page);
    for (const id of ['codes', 'codes-file', 'deposit-button', 'deposit-progress', 'deposit-results']) {
      expect(hasId(page.html, id), id).toBe(true);
    }
  });

  it('a form post of pasted lines answers each code’s outcome, masked, through the same deposit', async () => {
    const { listingId, link, nonce } = await aDepositPage();
    const fresh = await mint(3);
    const [used] = await mint(1);
    await redeemAtIssuer(stack.current, used?.code as string);
    const lines = [...fresh.map((c) => c.code), used?.code, 'not a code!', fresh[0]?.code].join('\n');
    const answer = await postForm(stack.current, `${link.path}/cards`, { nonce, codes: lines });
    expect(answer.status, answer.html).toBe(200);
    expectPageHeaders(answer);
    const listed = items(answer.html);
    expect(listed.map((m) => m[1])).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(listed[0]?.[2]).toContain(`••••${normalizeCode(fresh[0]?.code as string).slice(-4)}`);
    expect(textOf(answer.html, 'deposit-summary')).toBe('3 accepted, 3 rejected, 0 pending');
    expect(answer.html).toMatch(/<progress id="deposit-progress" max="6" value="6">/);
    const all = [...fresh, used].map((c) => c?.code as string);
    expect(findCodes(answer.html, all)).toEqual([]);
    expect((await stockOf(stack.current, listingId)).available).toBe(3);
  });

  it('takes PINs after a tab, and a CSV file uploaded as multipart', async () => {
    const { listingId, link, nonce } = await aDepositPage('demo-pin');
    const [typed, ...filed] = await mint(3, 'demo-pin');
    const form = new FormData();
    form.set('nonce', nonce);
    form.set('codes', `${typed?.code}\t${typed?.pin}`);
    const csv = `code,pin\n${filed.map((c) => `${c.code},${c.pin}`).join('\n')}\n`;
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'codes.csv');
    const res = await fetch(`${stack.current.apiUrl}${link.path}/cards`, {
      method: 'POST',
      headers: SAME_ORIGIN,
      body: form,
    });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(items(html).map((m) => m[1])).toEqual(['accepted', 'accepted', 'accepted']);
    expect(
      findCodes(
        html,
        [typed, ...filed].flatMap((c) => [c?.code as string]),
      ),
    ).toEqual([]);
    expect((await stockOf(stack.current, listingId)).available).toBe(3);
  });

  it('answers JSON batches for page.js, masked and numbered across batches', async () => {
    const { listingId, link, nonce } = await aDepositPage();
    const codes = (await mint(60)).map((c) => c.code);
    const answers = [];
    for (let offset = 0; offset < codes.length; offset += 50) {
      const res = await fetch(`${stack.current.apiUrl}${link.path}/cards`, {
        method: 'POST',
        headers: {
          ...SAME_ORIGIN,
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          nonce,
          offset: String(offset),
          codes: codes.slice(offset, offset + 50).join('\n'),
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      expect(findCodes(text, codes)).toEqual([]);
      answers.push(...(JSON.parse(text).results as Array<Record<string, unknown>>));
    }
    expect(answers).toHaveLength(60);
    expect(answers.map((r) => r.number)).toEqual(codes.map((_, i) => i + 1));
    expect(answers.every((r) => r.outcome === 'accepted' && /^••••.{4}$/.test(String(r.masked)))).toBe(true);
    expect(Object.keys(answers[0] ?? {}).sort()).toEqual(['masked', 'number', 'outcome', 'outcomeText']);
    expect((await stockOf(stack.current, listingId)).available).toBe(60);
  });

  it("reads a JSON batch's first line as a code even when it looks like a CSV header (page.js drops headers)", async () => {
    const { link, nonce } = await aDepositPage();
    const [code] = (await mint(1)).map((c) => c.code);
    const res = await fetch(`${stack.current.apiUrl}${link.path}/cards`, {
      method: 'POST',
      headers: {
        ...SAME_ORIGIN,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ nonce, offset: '50', codes: `code,1234\n${code}` }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ number: number; outcome: string }> };
    // Both lines answered, numbered after the batch's offset: none dropped, none shifted.
    expect(results.map((r) => r.number)).toEqual([51, 52]);
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'accepted']);
  });

  it('refuses an empty or oversized batch as a whole, storing nothing', async () => {
    const { listingId, link, nonce } = await aDepositPage();
    const empty = await postForm(stack.current, `${link.path}/cards`, { nonce, codes: '\n  \n' });
    expect(empty.status).toBe(400);
    expect(hasId(empty.html, 'deposit-error')).toBe(true);
    const lines = Array.from({ length: 501 }, (_, i) => `CODE-${i}`).join('\n');
    const tooMany = await postForm(stack.current, `${link.path}/cards`, { nonce, codes: lines });
    expect(tooMany.status).toBe(400);
    expect(textOf(tooMany.html, 'deposit-error')).toContain('500');
    expect((await stockOf(stack.current, listingId)).available ?? 0).toBe(0);
  });

  it('speaks zh-CN when Accept-Language asks', async () => {
    const { link } = await aDepositPage();
    const page = await getPage(stack.current, link.path, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(page.html).toContain('<html lang="zh-CN">');
    expect(textOf(page.html, 'deposit-button')).toBe('存入');
  });

  it('writes no deposited code to the logs', async () => {
    const { link, nonce } = await aDepositPage();
    const codes = (await mint(2)).map((c) => c.code);
    await postForm(stack.current, `${link.path}/cards`, { nonce, codes: codes.join('\n') });
    expect(findCodes(stack.current.logs.join('\n'), codes)).toEqual([]);
  });
});
