import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IssuerAuth } from '../../shared/domain/issuer-auth.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { expectProblem, findCodes, orderOf } from '../support/fraud-helpers.js';
import { aListing, aPaidOrder, mintCode, reveal } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';

/** The local key file of this file's stack: the vault reads its `issuerSecrets` at each check. */
const keyFile = join(mkdtempSync(join(tmpdir(), 'card-vault-issuer-auth-')), 'keys.json');
const stack = useTestStack({ LOCAL_KEY_FILE: keyFile, REVALIDATE_BEFORE_REVEAL: 'best-effort' });

const RIGHT = 'issuer-secret-RIGHT-0123456789abcdef';
const WRONG = 'issuer-secret-WRONG-0123456789abcdef';

/** What the vault holds (`vaultSecret`) and what the simulated issuer expects for demo-gift. */
async function connect(s: TestStack, auth: IssuerAuth, vaultSecret: string, issuerSecret: string) {
  const file = JSON.parse(await readFile(keyFile, 'utf8'));
  await writeFile(keyFile, JSON.stringify({ ...file, issuerSecrets: { 'issuers/demo-gift': vaultSecret } }));
  await s.vault.tenants.registerBrand({ ...demoBrand(DEMO_GIFT_BRAND, s.issuerUrl), auth }, 'local');
  const required =
    auth.kind === 'hmac'
      ? { hmac: { keyId: auth.keyId, secret: issuerSecret } }
      : auth.kind === 'bearer'
        ? { bearer: issuerSecret }
        : {};
  expect((await s.issuer('/_sim/auth', { brand: 'demo-gift', ...required })).status).toBe(200);
}

const HMAC: IssuerAuth = { kind: 'hmac', keyId: 'vault-2026', secretRef: 'issuers/demo-gift' };
const BEARER: IssuerAuth = { kind: 'bearer', secretRef: 'issuers/demo-gift' };

/** Nothing the stack logged holds the secrets or any of `codes`. */
function expectCleanLogs(s: TestStack, codes: string[]) {
  const logs = s.logs.join('\n');
  expect(logs).not.toContain(RIGHT);
  expect(logs).not.toContain(WRONG);
  expect(findCodes(logs, codes)).toEqual([]);
}

describe('the vault authenticates to its issuer (issue 21, item 3)', () => {
  it('deposits and reveals with HMAC-signed checks; an unsigned check is refused by the issuer', async () => {
    const s = stack.current;
    await connect(s, HMAC, RIGHT, RIGHT);
    const sale = await aPaidOrder(s);
    const res = await reveal(s, sale.orderId, sale.buyerId);
    expect(res.status, res.text).toBe(200);
    const unsigned = await s.issuer('/check', { brand: 'demo-gift', code: sale.card.code });
    expect(unsigned.status).toBe(401);
    expectCleanLogs(s, [sale.card.code]);
  });

  it('with the wrong secret every check fails as a misbehaving issuer: deposit pending, reveal refused', async () => {
    const s = stack.current;
    await connect(s, HMAC, RIGHT, RIGHT);
    const sale = await aPaidOrder(s);
    await connect(s, HMAC, WRONG, RIGHT);
    const listing = await aListing(s);
    const { code } = await mintCode(s);
    const deposited = await s.post(`/v1/listings/${listing.listingId}/cards`, { cards: [{ code }] });
    expect(deposited.status, deposited.text).toBe(200);
    expect(deposited.body.results[0].outcome).toBe('pending');
    // best-effort: an unreachable issuer would not stop the reveal; a misbehaving one does.
    const refused = await reveal(s, sale.orderId, sale.buyerId);
    expectProblem(refused, 503, 'dependency-unavailable');
    expect(findCodes(refused.text, [sale.card.code])).toEqual([]);
    expect((await orderOf(s, sale.orderId)).state).toBe('paid');
    expectCleanLogs(s, [sale.card.code, code]);
  });

  it('refuses the reveal when the brand’s secret cannot be read: never shown unchecked under best-effort', async () => {
    const s = stack.current;
    await connect(s, HMAC, RIGHT, RIGHT);
    const sale = await aPaidOrder(s);
    // The brand now names a secret the vault cannot read (a wrong reference, a store outage).
    await s.vault.tenants.registerBrand(
      { ...demoBrand(DEMO_GIFT_BRAND, s.issuerUrl), auth: { ...HMAC, secretRef: 'issuers/nowhere' } },
      'local',
    );
    const refused = await reveal(s, sale.orderId, sale.buyerId);
    expectProblem(refused, 503, 'dependency-unavailable');
    expect(findCodes(refused.text, [sale.card.code])).toEqual([]);
    expect((await orderOf(s, sale.orderId)).state).toBe('paid');
    await connect(s, HMAC, RIGHT, RIGHT);
  });

  it('sends a bearer token when the brand says so, and the right one only', async () => {
    const s = stack.current;
    await connect(s, BEARER, RIGHT, RIGHT);
    const listing = await aListing(s);
    const accepted = await s.post(`/v1/listings/${listing.listingId}/cards`, {
      cards: [{ code: (await mintCode(s)).code }],
    });
    expect(accepted.body.results[0].outcome, accepted.text).toBe('accepted');
    await connect(s, BEARER, WRONG, RIGHT);
    const pending = await s.post(`/v1/listings/${listing.listingId}/cards`, {
      cards: [{ code: (await mintCode(s)).code }],
    });
    expect(pending.body.results[0].outcome, pending.text).toBe('pending');
    expectCleanLogs(s, []);
  });
});
