import { describe, expect, it } from 'vitest';
import { orderStates } from '../../shared/domain/order.js';
import { buyerMessage, sellerMessage } from '../../shared/domain/order-messages.js';

describe('sellerMessage', () => {
  const unpaid = sellerMessage({ state: 'pending_payment' });

  it('says plainly that an unpaid order is NOT PAID (F4)', () => {
    expect(unpaid).toContain('NOT PAID');
  });

  it('tells the seller of an unpaid order not to send anything (F4)', () => {
    expect(unpaid.toLowerCase()).toContain('do not send anything');
  });

  it('opens with the warning, so a truncated preview still shows it', () => {
    expect(unpaid.startsWith('NOT PAID')).toBe(true);
  });

  it('never calls an unpaid order paid, except to say it is not paid', () => {
    expect(unpaid.replace(/not paid/gi, '')).not.toMatch(/\bpaid\b/i);
  });

  it('tells the seller of a paid order that the vault delivers and not to send anything', () => {
    const paid = sellerMessage({ state: 'paid' });
    expect(paid.toLowerCase()).toContain('do not send anything');
    expect(paid.toLowerCase()).toContain('vault');
  });

  it.each(['expired', 'cancelled'] as const)(
    'tells the seller of a %s order that nothing was sold',
    (state) => {
      const text = sellerMessage({ state });
      expect(text.toLowerCase()).toContain('nothing was sold');
      expect(text.toLowerCase()).toContain('do not send anything');
    },
  );

  it.each([...orderStates])('has a non-empty text for %s', (state) => {
    expect(sellerMessage({ state }).trim()).not.toBe('');
  });

  it('says something different for every state but revealed, so no two states read alike', () => {
    const texts = orderStates.filter((s) => s !== 'revealed').map((state) => sellerMessage({ state }));
    expect(new Set(texts).size).toBe(orderStates.length - 1);
  });

  it('never tells the seller that the buyer revealed: revealed reads exactly as paid (issue 17)', () => {
    expect(sellerMessage({ state: 'revealed' })).toBe(sellerMessage({ state: 'paid' }));
    expect(sellerMessage({ state: 'revealed' }).toLowerCase()).not.toMatch(/reveal|deliver(ed)? by/);
  });
});

describe('buyerMessage', () => {
  it.each([...orderStates])('has a non-empty text for %s', (state) => {
    expect(buyerMessage({ state }).trim()).not.toBe('');
  });

  it('warns a buyer awaiting payment never to pay or scan anything outside the order (F3)', () => {
    expect(buyerMessage({ state: 'pending_payment' })).toMatch(/never pay or scan anything outside/i);
  });

  it('tells a paid buyer the code can be revealed', () => {
    expect(buyerMessage({ state: 'paid' }).toLowerCase()).toContain('reveal');
  });

  it('says something different for every state', () => {
    const texts = orderStates.map((state) => buyerMessage({ state }));
    expect(new Set(texts).size).toBe(orderStates.length);
  });
});
