import { ValidationError } from './errors.js';

/**
 * The public key an issuer signs its answers with (docs/issuer-protocol.md "Signed answers"), as a
 * JWK: Ed25519 (`OKP`) or ECDSA P-256 (`EC`). Public members only: a key with `d` is refused, so
 * a private key pasted by mistake is never stored.
 */
export type IssuerAnswerKey =
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string }
  | { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string };

/**
 * A signed answer as the vault keeps it with the check it proves: everything needed to verify it
 * later with no other record (the brand may have changed its key since). `body` is the answer's
 * bytes as received, which for a signed answer hold only the protocol's fields, never a code.
 */
export interface AnswerSignature {
  readonly key: IssuerAnswerKey;
  /** The vault's request id the issuer signed with the body. */
  readonly requestId: string;
  readonly body: string;
  /** base64url, no padding: Ed25519's 64 bytes, or P-256's r || s (64 bytes). */
  readonly signature: string;
}

/** At most this many keys per brand: the current one and the next, during a rotation. */
export const MAX_ANSWER_KEYS = 2;

// 32 bytes in base64url, no padding: an Ed25519 public key, or one P-256 coordinate.
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** One key to store, reduced to its public members, or a `ValidationError` naming the field. */
export function checkAnswerKey(raw: unknown, field = 'answerKeys'): IssuerAnswerKey {
  const jwk = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if ('d' in jwk) throw new ValidationError(`${field} must be a public key (it has "d")`, { field });
  const x = typeof jwk.x === 'string' && COORDINATE.test(jwk.x) ? jwk.x : undefined;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && x !== undefined) return { kty: 'OKP', crv: 'Ed25519', x };
  const y = typeof jwk.y === 'string' && COORDINATE.test(jwk.y) ? jwk.y : undefined;
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && x !== undefined && y !== undefined) {
    return { kty: 'EC', crv: 'P-256', x, y };
  }
  throw new ValidationError(`${field} must be an Ed25519 (OKP) or P-256 (EC) public JWK`, { field });
}

/** What a brand says about its issuer's signatures, checked for storage. */
export function checkAnswerSigning(input: {
  readonly answerKeys?: readonly unknown[];
  readonly requireSignedAnswers?: boolean;
}): { answerKeys?: IssuerAnswerKey[]; requireSignedAnswers?: true } {
  const keys = (input.answerKeys ?? []).map((k, i) => checkAnswerKey(k, `answerKeys.${i}`));
  if (keys.length > MAX_ANSWER_KEYS) {
    throw new ValidationError(`at most ${MAX_ANSWER_KEYS} answer keys`, { field: 'answerKeys' });
  }
  if (input.requireSignedAnswers === true && keys.length === 0) {
    throw new ValidationError('requireSignedAnswers needs an answer key', { field: 'requireSignedAnswers' });
  }
  return {
    ...(keys.length > 0 && { answerKeys: keys }),
    ...(input.requireSignedAnswers === true && { requireSignedAnswers: true }),
  };
}
