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
    await expect(s.vault.tenants.registerBrand(brand, 'local')).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'codePattern' },
    });
    expect((await listingOf(s, 'ascii-only')).body.type).toMatch(/unknown-brand$/);
  });

  it('refuses a pattern that does not compile, and accepts a sound one', async () => {
    const s = stack.current;
    const base = demoBrand(DEMO_GIFT_BRAND, s.issuerUrl);
    await expect(
      s.vault.tenants.registerBrand({ ...base, brand: 'broken', codePattern: '[A-Z' }, 'local'),
    ).rejects.toMatchObject({ code: 'validation' });
    await s.vault.tenants.registerBrand({ ...base, brand: 'sound', codePattern: '[A-Z0-9]{16}' }, 'local');
    expect((await listingOf(s, 'sound')).status).toBe(201);
  });
});

describe('brand registration: the issuer connection (issue 21)', () => {
  it('refuses http:// outside local mode, and URLs with credentials in any mode, storing nothing', async () => {
    const s = stack.current;
    const base = demoBrand(DEMO_GIFT_BRAND, s.issuerUrl);
    for (const [brand, issuerUrl, mode] of [
      ['plain-http', 'http://issuer.example', 'aws'],
      ['loopback-aws', s.issuerUrl, 'aws'],
      ['with-creds', 'https://ops:hunter2@issuer.example', 'aws'],
      ['with-creds-local', s.issuerUrl.replace('http://', 'http://ops:hunter2@'), 'local'],
      ['http-remote-local', 'http://issuer.example', 'local'],
    ] as const) {
      await expect(s.vault.tenants.registerBrand({ ...base, brand, issuerUrl }, mode)).rejects.toMatchObject({
        code: 'validation',
        details: { field: 'issuerUrl' },
      });
      expect((await listingOf(s, brand)).body.type).toMatch(/unknown-brand$/);
    }
    // Outside the local stack the vault must also authenticate to the issuer.
    await expect(
      s.vault.tenants.registerBrand(
        { ...base, brand: 'no-auth', issuerUrl: 'https://issuer.example/' },
        'aws',
      ),
    ).rejects.toMatchObject({ code: 'validation', details: { field: 'auth' } });
    const auth = { kind: 'hmac', keyId: 'k1', secretRef: 'card-vault/issuers/tls-issuer' } as const;
    await s.vault.tenants.registerBrand(
      { ...base, brand: 'tls-issuer', issuerUrl: 'https://issuer.example/', auth },
      'aws',
    );
    expect((await listingOf(s, 'tls-issuer')).status).toBe(201);
  });
});
