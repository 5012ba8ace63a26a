import { describe, expect, it } from 'vitest';
import { expectProblem, findCodes } from '../support/fraud-helpers.js';
import { aListing, depositFresh, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

const listingBody = (overrides: Record<string, unknown>) => ({
  sellerId: unique('seller'),
  brand: 'demo-gift',
  faceValue: { amount: 5000, currency: 'EUR' },
  price: { amount: 4500, currency: 'EUR' },
  ...overrides,
});

describe('validation problems', () => {
  it('never echo an unknown key, even when the key is a deposited code', async () => {
    const { listingId } = await aListing(stack.current);
    const [card] = await depositFresh(stack.current, listingId);
    const code = card?.code as string;
    const res = await stack.current.post(`/v1/listings/${listingId}/cards`, {
      cards: [{ code: 'x', [code]: true }],
    });
    expectProblem(res, 400, 'validation');
    expect(res.body.errors).toContainEqual({ path: 'cards.0', message: 'has an unknown field' });
    expect(findCodes(res.text, [code])).toEqual([]);
  });
});

describe('free text', () => {
  it.each([
    ['NUL', 'gift\u0000card'],
    ['a right-to-left override', 'gift \u202Edrac'],
    ['a bidi isolate', 'gift \u2066card\u2069'],
    ['a zero-width space', 'gift\u200Bcard'],
    ['a zero-width joiner', 'gift\u200Dcard'],
    ['a newline', 'gift\ncard'],
    ['a byte-order mark', '\uFEFFgift card'],
  ])('refuses a listing title with %s', async (_, title) => {
    const res = await stack.current.post('/v1/listings', listingBody({ title }));
    expectProblem(res, 400, 'validation');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['title']);
  });

  it('keeps accepting titles in any script, with accents and emoji', async () => {
    const res = await stack.current.post(
      '/v1/listings',
      listingBody({ title: 'Carte cadeau 50 € — 礼品卡 🎁' }),
    );
    expect(res.status, res.text).toBe(201);
  });

  it.each(['sellerId', 'buyerId'])('refuses invisible characters in %s', async (field) => {
    const { listingId } = await aListing(stack.current);
    const spoofed = `alice\u202E`;
    const res =
      field === 'sellerId'
        ? await stack.current.post('/v1/listings', listingBody({ sellerId: spoofed }))
        : await stack.current.post(
            '/v1/orders',
            { listingId, buyerId: spoofed },
            { 'idempotency-key': unique('k') },
          );
    expectProblem(res, 400, 'validation');
  });
});

describe('Idempotency-Key', () => {
  it('reports a missing key as missing', async () => {
    const { listingId } = await aListing(stack.current);
    const res = await stack.current.post('/v1/orders', { listingId, buyerId: 'bob' });
    expectProblem(res, 400, 'idempotency-key-missing');
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['with a space', 'order 1'],
    ['empty', ''],
  ])('reports a present but malformed key (%s) as invalid, not missing', async (_, key) => {
    const { listingId } = await aListing(stack.current);
    const res = await stack.current.post(
      '/v1/orders',
      { listingId, buyerId: 'bob' },
      { 'idempotency-key': key },
    );
    expectProblem(res, 400, 'idempotency-key-invalid');
  });

  it('hold operator notes and names to the title rule, line breaks allowed', async () => {
    const s = stack.current;
    const settle = (body: unknown) => s.post('/v1/escalations/rpt_01M8NR8MT6BT7VG9HEJVP9R1A9/settle', body);
    const reinstate = (body: unknown) => s.post(`/v1/sellers/${unique('seller')}/reinstate`, body);
    expectProblem(
      await settle({ outcome: 'reject', note: 'ok\u202egnp', decidedBy: 'desk' }),
      400,
      'validation',
    );
    expectProblem(await reinstate({ note: 'checked', decidedBy: 'desk\u200b' }), 400, 'validation');
    // Well-formed (a multi-line note): past validation, to the next check (no such report or seller).
    expectProblem(
      await settle({ outcome: 'reject', note: 'line one\nline two', decidedBy: 'desk' }),
      404,
      'not-found',
    );
  });
});
