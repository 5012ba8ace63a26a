import { describe, expect, it } from 'vitest';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

/** A listing of `brand`: 201 only if the brand was stored. */
const listingOf = (s: TestStack, brand: string) =>
  s.post('/v1/listings', {
    sellerId: 'seller-brand-test',
    brand,
    faceValue: { amount: 5000, currency: 'EUR' },
    price: { amount: 4500, currency: 'EUR' },
  });

describe('brand registration', () => {
  it('refuses a code pattern that is not printable ASCII, and stores nothing', async () => {
    const s = stack.current;
    const brand = {
      ...demoBrand(DEMO_GIFT_BRAND, s.issuerUrl),
      brand: 'ascii-only',
      codePattern: '[Ａ-Ｚ]{16}',
    };
    await expect(s.vault.tenants.registerBrand(brand)).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'codePattern' },
    });
    expect((await listingOf(s, 'ascii-only')).body.type).toMatch(/unknown-brand$/);
  });

  it('refuses a pattern that does not compile, and accepts a sound one', async () => {
    const s = stack.current;
    const base = demoBrand(DEMO_GIFT_BRAND, s.issuerUrl);
    await expect(
      s.vault.tenants.registerBrand({ ...base, brand: 'broken', codePattern: '[A-Z' }),
    ).rejects.toMatchObject({ code: 'validation' });
    await s.vault.tenants.registerBrand({ ...base, brand: 'sound', codePattern: '[A-Z0-9]{16}' });
    expect((await listingOf(s, 'sound')).status).toBe(201);
  });
});
