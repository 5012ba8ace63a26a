import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { anotherTenant, deposit, expectProblem, placeOrder } from '../support/fraud-helpers.js';
import { aListing, aPaidOrder, depositFresh, mintCode, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

const listingBody = () => ({
  sellerId: unique('seller'),
  brand: 'demo-gift',
  faceValue: { amount: 5000, currency: 'EUR' },
  price: { amount: 4500, currency: 'EUR' },
});

describe('F6: one code sold twice, or on two marketplaces', () => {
  it('accepts a code once when the same request deposits it twice, in any spelling', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const { code } = await mintCode(s);
    const respelled = normalizeCode(code).toLowerCase();

    const res = await deposit(s, listingId, [{ code }, { code }, { code: respelled }]);

    expect(res.status, res.text).toBe(200);
    expect(res.body.results.map((r: { outcome: string; reason?: string }) => r.reason ?? r.outcome)).toEqual([
      'accepted',
      'duplicate',
      'duplicate',
    ]);
    expect(res.body.results[1].cardId).toBeUndefined();
  });

  it('answers a repeated deposit to the same listing with the same card (a retry), never a second card', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);

    const again = await deposit(s, listingId, [{ code: card?.code as string }]);

    expect(again.body.results).toEqual([
      expect.objectContaining({ outcome: 'accepted', cardId: card?.cardId }),
    ]);
    const stock = await s.get(`/v1/listings/${listingId}`);
    expect(stock.body.stock).toMatchObject({ available: 1 });
  });

  it('refuses a code already deposited in another listing', async () => {
    const s = stack.current;
    const first = await aListing(s);
    const second = await aListing(s, { sellerId: first.sellerId });
    const [card] = await depositFresh(s, first.listingId, 1);

    const res = await deposit(s, second.listingId, [{ code: card?.code as string }]);

    expect(res.body.results).toEqual([expect.objectContaining({ outcome: 'rejected', reason: 'duplicate' })]);
    expectProblem(await placeOrder(s, second.listingId), 409, 'out-of-stock');
  });

  it('refuses a code already deposited by another marketplace on the same deployment', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const other = await anotherTenant(s, 'other');
    const theirs = await other.post('/v1/listings', listingBody());
    expect(theirs.status, theirs.text).toBe(201);

    const res = await other.post(`/v1/listings/${theirs.body.listingId}/cards`, {
      cards: [{ code: card?.code }],
    });

    expect(res.status, res.text).toBe(200);
    expect(res.body.results).toEqual([expect.objectContaining({ outcome: 'rejected', reason: 'duplicate' })]);
  });

  it('frees the code when an unsold card is withdrawn, so it can be deposited again', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const withdrawn = await s.request('DELETE', `/v1/listings/${listingId}/cards/${card?.cardId}`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const other = await anotherTenant(s);
    const theirs = await other.post('/v1/listings', listingBody());

    const res = await other.post(`/v1/listings/${theirs.body.listingId}/cards`, {
      cards: [{ code: card?.code }],
    });

    expect(res.body.results).toEqual([expect.objectContaining({ outcome: 'accepted' })]);
    // ... and now it is theirs: the first marketplace cannot take it back.
    const back = await deposit(s, listingId, [{ code: card?.code as string }]);
    expect(back.body.results).toEqual([
      expect.objectContaining({ outcome: 'rejected', reason: 'duplicate' }),
    ]);
  });

  it('never frees a sold code: it cannot be withdrawn nor deposited again, anywhere', async () => {
    const s = stack.current;
    const { listingId, card, orderId, buyerId } = await aPaidOrder(s);
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);

    expectProblem(
      await s.request('DELETE', `/v1/listings/${listingId}/cards/${card.cardId}`),
      409,
      'card-not-available',
    );
    const again = await aListing(s);
    const res = await deposit(s, again.listingId, [{ code: card.code }]);
    expect(res.body.results).toEqual([expect.objectContaining({ outcome: 'rejected', reason: 'duplicate' })]);
    const other = await anotherTenant(s);
    const theirs = await other.post('/v1/listings', listingBody());
    const elsewhere = await other.post(`/v1/listings/${theirs.body.listingId}/cards`, {
      cards: [{ code: card.code }],
    });
    expect(elsewhere.body.results).toEqual([
      expect.objectContaining({ outcome: 'rejected', reason: 'duplicate' }),
    ]);
  });

  it('keeps a reserved (ordered, unpaid) code taken', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    expect((await placeOrder(s, listingId)).status).toBe(201);

    const again = await aListing(s);
    const res = await deposit(s, again.listingId, [{ code: card?.code as string }]);

    expect(res.body.results).toEqual([expect.objectContaining({ outcome: 'rejected', reason: 'duplicate' })]);
  });
});
