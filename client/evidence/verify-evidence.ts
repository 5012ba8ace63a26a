import { canonicalize } from './canonical-json.js';
import { type ChainBreak, type ChainedLine, verifyTrail } from './trail-chain.js';

/**
 * Checks an evidence answer (`GET /v1/orders/{id}/evidence`) offline, with WebCrypto alone: the
 * JWS is ES256 under a key of the JWKS (`GET /v1/evidence-keys`), its payload is exactly the RFC
 * 8785 form of `bundle`, and the bundle's trail is an unbroken hash chain ending at `trailHead`.
 * Runs in Node 20+, browsers and workers; no dependency.
 */
export interface EvidenceAnswer {
  readonly bundle: unknown;
  readonly jws: string;
}

export interface Jwks {
  readonly keys: ReadonlyArray<{
    readonly kid?: string;
    readonly kty: string;
    readonly crv?: string;
    readonly x?: string;
    readonly y?: string;
  }>;
}

export type EvidenceProblem =
  | 'malformed-jws'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'bundle-differs-from-payload'
  | ChainBreak;

export type EvidenceVerdict =
  | { readonly ok: true; readonly kid: string; readonly events: number }
  | { readonly ok: false; readonly problem: EvidenceProblem; readonly eventId?: string };

export async function verifyEvidence(answer: EvidenceAnswer, jwks: Jwks): Promise<EvidenceVerdict> {
  const parts = answer.jws.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || !headerPart || !payloadPart || !signaturePart) return refused('malformed-jws');
  let header: { alg?: unknown; kid?: unknown };
  let payload: string;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    header = JSON.parse(utf8(fromBase64url(headerPart)));
    payload = utf8(fromBase64url(payloadPart));
    signature = fromBase64url(signaturePart);
  } catch {
    return refused('malformed-jws');
  }
  if (header.alg !== 'ES256') return refused('unsupported-algorithm');
  const jwk = jwks.keys.find((k) => k.kid === header.kid && k.kty === 'EC' && k.crv === 'P-256');
  if (!jwk || typeof header.kid !== 'string') return refused('unknown-key');
  const key = await globalThis.crypto.subtle.importKey(
    'jwk',
    { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  if (signature.length !== 64) return refused('bad-signature');
  const valid = await globalThis.crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    signature,
    new TextEncoder().encode(`${headerPart}.${payloadPart}`),
  );
  if (!valid) return refused('bad-signature');
  // The bundle shown must be the one signed, byte for byte once canonical.
  if (payload !== canonicalize(answer.bundle)) return refused('bundle-differs-from-payload');
  const { trail, trailHead } = answer.bundle as { trail?: ChainedLine[]; trailHead?: string };
  const chain = await verifyTrail(trail ?? [], trailHead);
  if (!chain.ok)
    return { ok: false, problem: chain.problem, ...(chain.eventId ? { eventId: chain.eventId } : {}) };
  return { ok: true, kid: header.kid, events: (trail ?? []).length };
}

function refused(problem: EvidenceProblem): EvidenceVerdict {
  return { ok: false, problem };
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
