import { afterAll, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { aDeadIssuerUrl, aFixedIssuer } from '../support/fake-issuer.js';
import { expectProblem, findCodes, orderOf } from '../support/fraud-helpers.js';
import { aPaidOrder, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

// best-effort is the default policy: stated, so the test says what it is about.
const stack = useTestStack({ REVALIDATE_BEFORE_REVEAL: 'best-effort' });
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** Points demo-gift at another issuer after the sale, as an operator's `npm run brand` would. */
async function issuerAt(url: string): Promise<void> {
  await stack.current.vault.tenants.registerBrand(demoBrand(DEMO_GIFT_BRAND, url), 'local');
}

describe('the best-effort re-check before reveal', () => {
  it('refuses with 503 when the issuer misbehaves, and reveals nothing', async () => {
    const sale = await aPaidOrder(stack.current);
    const fake = await aFixedIssuer(200, '{"unexpected":"answer"}');
    closers.push(fake.close);
    await issuerAt(fake.url);
    try {
      const res = await reveal(stack.current, sale.orderId, sale.buyerId);
      expectProblem(res, 503, 'dependency-unavailable');
      expect(findCodes(res.text, [sale.card.code])).toEqual([]);
      expect((await orderOf(stack.current, sale.orderId)).state).toBe('paid');
    } finally {
      await issuerAt(stack.current.issuerUrl);
    }
  });

  it('still reveals when the issuer is unreachable', async () => {
    const sale = await aPaidOrder(stack.current);
    await issuerAt(await aDeadIssuerUrl());
    try {
      const res = await reveal(stack.current, sale.orderId, sale.buyerId);
      expect(res.status, res.text).toBe(200);
      expect(normalizeCode(res.body.cards[0].code)).toBe(normalizeCode(sale.card.code));
    } finally {
      await issuerAt(stack.current.issuerUrl);
    }
  });
});
