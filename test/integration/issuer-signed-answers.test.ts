import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import type { Brand } from '../../shared/domain/brand.js';
import { DependencyProtocolError } from '../../shared/domain/errors.js';
import type { AnswerSignature } from '../../shared/domain/issuer-answer.js';
import { verifyAnswerSignature } from '../../shared/evidence/issuer-answer-signature.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { createIssuerSimApp } from '../../shared/issuer-sim/issuer-sim-app.js';
import { SimSigner } from '../../shared/issuer-sim/sim-signer.js';

const SIM_URL = 'http://127.0.0.1:9';

/**
 * The simulator (which signs every answer) behind an HttpIssuer, with no socket; `alter` changes
 * the answer on its way, as a man in the middle or a forged record would.
 */
async function aSignedIssuer(
  options: {
    signer?: SimSigner;
    alter?: (answer: { body: string; headers: Headers }) => { body: string; headers: Headers };
  } = {},
) {
  const signer = options.signer ?? new SimSigner();
  const app = createIssuerSimApp({ signer });
  const minted = await app.request('/cards', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brand: DEMO_GIFT_BRAND.brand, amount: 2500, currency: 'EUR' }),
  });
  const { code } = (await minted.json()) as { code: string };
  const issuer = new HttpIssuer({
    mode: 'local',
    retries: 0,
    fetch: async (input, init) => {
      const res = await app.request(String(input).slice(SIM_URL.length), init as RequestInit);
      if (options.alter === undefined || res.status !== 200) return res;
      const { body, headers } = options.alter({ body: await res.text(), headers: new Headers(res.headers) });
      return new Response(body, { status: 200, headers });
    },
  });
  const brand = (extra: Partial<Brand> = {}): Brand => ({
    ...demoBrand(DEMO_GIFT_BRAND, SIM_URL, undefined, signer.publicKey),
    ...extra,
  });
  return { issuer, brand, code, signer };
}

async function refused(check: Promise<unknown>): Promise<Error> {
  const error = await check.then(
    () => expect.fail('expected the answer to be refused'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(DependencyProtocolError);
  return error;
}

describe('HttpIssuer: signed answers (issue 21, item 3)', () => {
  it('verifies a signed answer and keeps the signature, which verifies later from the stored record alone', async () => {
    const { issuer, brand, code, signer } = await aSignedIssuer();
    const check = await issuer.check(brand(), { code }, { purpose: 'deposit' });
    expect(check).toMatchObject({ state: 'active', balance: { amount: 2500, currency: 'EUR' } });
    expect(check.signature).toMatchObject({ key: signer.publicKey, requestId: expect.any(String) });
    expect(JSON.parse(check.signature?.body ?? '')).toEqual({ state: 'active', balance: check.balance });
    // As a table or an evidence bundle keeps it: plain JSON, read back with nothing else at hand.
    const stored = JSON.parse(JSON.stringify(check.signature)) as AnswerSignature;
    expect(await verifyAnswerSignature(stored)).toBe(true);
    expect(stored.body).not.toContain(code.replace(/-/g, ''));
  });

  it('verifies ECDSA P-256 answers as well as Ed25519 ones', async () => {
    const signer = new SimSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const { issuer, brand, code } = await aSignedIssuer({ signer });
    const check = await issuer.check(brand(), { code }, { purpose: 'reveal' });
    expect(check.signature?.key).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(await verifyAnswerSignature(check.signature as AnswerSignature)).toBe(true);
  });

  it('refuses a tampered answer body as a misbehaving issuer, never as evidence', async () => {
    const { issuer, brand, code } = await aSignedIssuer({
      alter: ({ body, headers }) => ({ body: body.replace('2500', '2499'), headers }),
    });
    const error = await refused(issuer.check(brand(), { code }, { purpose: 'report' }));
    expect(error.message).toMatch(/bad answer signature/);
  });

  it('refuses an answer signed with another key than the brand registered', async () => {
    const { issuer, brand, code } = await aSignedIssuer();
    const other = new SimSigner().publicKey;
    const error = await refused(
      issuer.check(brand({ answerKeys: [other] }), { code }, { purpose: 'deposit' }),
    );
    expect(error.message).toMatch(/bad answer signature/);
  });

  it('accepts either key during a rotation, and keeps the one that verified', async () => {
    const { issuer, brand, code, signer } = await aSignedIssuer();
    const check = await issuer.check(
      brand({ answerKeys: [new SimSigner().publicKey, signer.publicKey] }),
      { code },
      { purpose: 'deposit' },
    );
    expect(check.signature?.key).toEqual(signer.publicKey);
  });

  it('refuses a signature made for another request id (a replayed answer)', async () => {
    const { issuer, brand, code } = await aSignedIssuer();
    const first = await issuer.check(brand(), { code }, { purpose: 'deposit' });
    const replay = await aSignedIssuer({
      alter: ({ headers }) => {
        headers.set('card-vault-answer-signature', `v1=${first.signature?.signature}`);
        return { body: first.signature?.body ?? '', headers };
      },
    });
    await refused(
      replay.issuer.check(
        replay.brand({ answerKeys: brand().answerKeys }),
        { code: replay.code },
        { purpose: 'deposit' },
      ),
    );
  });

  it('with requireSignedAnswers refuses an unsigned answer; without it, takes it and keeps no signature', async () => {
    const unsigned = await aSignedIssuer({
      alter: ({ body, headers }) => {
        headers.delete('card-vault-answer-signature');
        return { body, headers };
      },
    });
    const error = await refused(
      unsigned.issuer.check(unsigned.brand(), { code: unsigned.code }, { purpose: 'reveal' }),
    );
    expect(error.message).toMatch(/unsigned answer/);
    const lenient = await unsigned.issuer.check(
      unsigned.brand({ requireSignedAnswers: false }),
      { code: unsigned.code },
      { purpose: 'reveal' },
    );
    expect(lenient.state).toBe('active');
    expect(lenient.signature).toBeUndefined();
  });

  it('refuses a signed answer carrying a field beyond the protocol (it would be kept as sent)', async () => {
    const { issuer, brand, code } = await aSignedIssuer({
      alter: ({ body, headers }) => ({ body: body.replace('{', '{"echo":"x",'), headers }),
    });
    const error = await refused(issuer.check(brand(), { code }, { purpose: 'deposit' }));
    expect(error.message).toMatch(/malformed answer/);
  });

  it('refuses a signed answer hiding text in a repeated key or inside balance, before any signature check', async () => {
    for (const change of [
      // Parses to its last `state`; the first would be kept, unread, in the evidence.
      (body: string) => body.replace('{', '{"state":"ECHOED-CODE-1234",'),
      (body: string) => body.replace('"currency"', '"echo":"ECHOED-CODE-1234","currency"'),
    ]) {
      const { issuer, brand, code } = await aSignedIssuer({
        alter: ({ body, headers }) => ({ body: change(body), headers }),
      });
      const error = await refused(issuer.check(brand(), { code }, { purpose: 'deposit' }));
      // Refused as malformed (what the vault read), not merely as badly signed (an issuer that
      // echoes would sign what it echoes).
      expect(error.message).toMatch(/malformed answer/);
    }
  });
});

describe('verifyAnswerSignature', () => {
  it('answers false, never throws, on a changed request id, body, key or a malformed signature', async () => {
    const { issuer, brand, code } = await aSignedIssuer();
    const kept = (await issuer.check(brand(), { code }, { purpose: 'deposit' })).signature as AnswerSignature;
    expect(await verifyAnswerSignature(kept)).toBe(true);
    expect(await verifyAnswerSignature({ ...kept, requestId: `${kept.requestId}x` })).toBe(false);
    expect(await verifyAnswerSignature({ ...kept, body: kept.body.replace('active', 'redeemed') })).toBe(
      false,
    );
    expect(await verifyAnswerSignature({ ...kept, key: new SimSigner().publicKey })).toBe(false);
    expect(await verifyAnswerSignature({ ...kept, signature: 'not base64url!' })).toBe(false);
    expect(await verifyAnswerSignature({ ...kept, signature: kept.signature.slice(2) })).toBe(false);
    expect(await verifyAnswerSignature({ ...kept, key: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' } })).toBe(
      false,
    );
  });
});
