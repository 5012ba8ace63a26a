import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { checkAnswerKey, checkAnswerSigning } from '../../shared/domain/issuer-answer.js';

const ed = () => generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });

describe('checkAnswerKey', () => {
  it('keeps only the public members of an Ed25519 or P-256 JWK', () => {
    const key = { ...ed(), kid: 'k1', use: 'sig' };
    expect(checkAnswerKey(key)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: key.x });
    const ec = p256();
    expect(checkAnswerKey(ec)).toEqual({ kty: 'EC', crv: 'P-256', x: ec.x, y: ec.y });
  });

  it('refuses a private key, another curve, an RSA key or a malformed coordinate', () => {
    const priv = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    expect(() => checkAnswerKey(priv)).toThrow(/public key/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    for (const bad of [p384, rsa, { ...ed(), x: 'short' }, { ...p256(), y: undefined }, null, 'a string']) {
      expect(() => checkAnswerKey(bad)).toThrow(ValidationError);
    }
  });
});

describe('checkAnswerSigning', () => {
  it('stores nothing without keys, and refuses requireSignedAnswers without a key or more than two keys', () => {
    expect(checkAnswerSigning({})).toEqual({});
    expect(checkAnswerSigning({ answerKeys: [ed()], requireSignedAnswers: true })).toMatchObject({
      requireSignedAnswers: true,
      answerKeys: [expect.objectContaining({ kty: 'OKP' })],
    });
    expect(() => checkAnswerSigning({ requireSignedAnswers: true })).toThrow(/needs an answer key/);
    expect(() => checkAnswerSigning({ answerKeys: [ed(), ed(), ed()] })).toThrow(/at most 2/);
  });
});
