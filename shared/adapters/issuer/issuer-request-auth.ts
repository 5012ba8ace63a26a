import { createHmac } from 'node:crypto';
import type { IssuerAuth } from '../../domain/issuer-auth.js';

/** The header that carries the vault's HMAC over an issuer request (the webhooks' name and shape). */
export const ISSUER_SIGNATURE_HEADER = 'card-vault-signature';

/**
 * `t=<unix seconds>,kid=<key id>,v1=<hex HMAC-SHA-256 of "<t>.<body>">`: the webhook scheme with
 * the key id, so an issuer holding two keys during a rotation knows which to check.
 */
export function signIssuerRequest(body: string, unixSeconds: number, keyId: string, secret: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},kid=${keyId},v1=${v1}`;
}

/** The headers that authenticate one attempt (a fresh timestamp each, so a retry is not stale). */
export function authHeaders(
  auth: IssuerAuth,
  secret: string | undefined,
  body: string,
  unixSeconds: number,
): Record<string, string> {
  if (auth.kind === 'none' || secret === undefined) return {};
  if (auth.kind === 'bearer') return { authorization: `Bearer ${secret}` };
  return { [ISSUER_SIGNATURE_HEADER]: signIssuerRequest(body, unixSeconds, auth.keyId, secret) };
}
