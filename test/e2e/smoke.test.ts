import { describe, expect, it } from 'vitest';
import { aPaidOrder, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('the local stack', () => {
  it('sells a deposited code end to end: order, pay, reveal once', async () => {
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);
    const res = await reveal(s, orderId, buyerId);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.cards[0].code.replace(/-/g, '')).toBe(card.code.replace(/-/g, ''));
  });
});
