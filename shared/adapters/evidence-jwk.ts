import { createHash, type KeyObject } from 'node:crypto';
import type { EvidenceJwk } from '../ports/evidence-signer.js';

/**
 * The public key as a JWK whose `kid` is its RFC 7638 thumbprint: the same key has the same id
 * wherever it is published, and a new key can never reuse an old id.
 */
export function evidenceJwk(publicKey: KeyObject): EvidenceJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) {
    throw new Error('the evidence key is not an EC P-256 key');
  }
  // RFC 7638: the required members only, in lexical order, no white space.
  const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const kid = createHash('sha256').update(members).digest('base64url');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg: 'ES256', use: 'sig' };
}
