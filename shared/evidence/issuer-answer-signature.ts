/**
 * Signed issuer answers (docs/issuer-protocol.md "Signed answers"): what is signed, and the check
 * of one signature, with WebCrypto alone, so a kept record verifies anywhere later (a processor,
 * a court's expert) with no vault code or table at hand. No dependency, no Node-only API.
 */

/** The response header that carries an issuer's signature: `v1=<base64url signature>`. */
export const ANSWER_SIGNATURE_HEADER = 'card-vault-answer-signature';

/** Names the scheme in what is signed, so a signature made for anything else never passes here. */
const CONTEXT = 'card-vault-answer/1';

/** The key and signature shapes, repeated from the domain so this file stands alone. */
export type AnswerKeyJwk =
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string }
  | { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string };

export interface SignedAnswerRecord {
  readonly key: AnswerKeyJwk;
  readonly requestId: string;
  readonly body: string;
  readonly signature: string;
}

/** The bytes an issuer signs: `card-vault-answer/1`, LF, the request id, LF, the body as sent. */
export function answerSigningInput(requestId: string, body: string): Uint8Array {
  return new TextEncoder().encode(`${CONTEXT}\n${requestId}\n${body}`);
}

/** The signature in a header value (`v1=<base64url>`), or undefined when there is none. */
export function parseAnswerSignatureHeader(value: string | null | undefined): string | undefined {
  if (value == null) return undefined;
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === 'v1') {
      const sig = part.slice(at + 1).trim();
      if (/^[A-Za-z0-9_-]{1,200}$/.test(sig)) return sig;
    }
  }
  return undefined;
}

/**
 * True when `signature` is the key's signature over the request id and body. Never throws: a
 * malformed key or signature is simply not valid (a record kept years ago must give an answer).
 */
export async function verifyAnswerSignature(record: SignedAnswerRecord): Promise<boolean> {
  try {
    const { subtle } = globalThis.crypto;
    const ec = record.key.kty === 'EC';
    const { kty, crv, x } = record.key;
    const jwk = ec ? { kty, crv, x, y: record.key.y } : { kty, crv, x };
    const algorithm = ec ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' };
    const key = await subtle.importKey('jwk', jwk, algorithm, false, ['verify']);
    const signature = fromBase64Url(record.signature);
    // Both schemes sign 64 bytes (P-256 as r || s, WebCrypto's own form); anything else is forged.
    if (signature.length !== 64) return false;
    return await subtle.verify(
      ec ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' },
      key,
      signature,
      answerSigningInput(record.requestId, record.body),
    );
  } catch {
    return false;
  }
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
