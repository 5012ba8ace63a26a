import { ValidationError } from './errors.js';
import type { IssuerUrlMode } from './issuer-url.js';

/**
 * How the vault proves itself to a brand's issuer (docs/issuer-protocol.md "Authentication").
 * `none` only on the local stack; `hmac` signs each request like the vault's webhooks, with a key
 * id; `bearer` sends a static token. The secret itself is never stored with the brand: only a
 * reference (a Secrets Manager ARN or name; locally a key of the local key file's `issuerSecrets`).
 * `mtls` is specified by issue 21 and not built yet.
 */
export const issuerAuthKinds = ['none', 'hmac', 'bearer'] as const;
export type IssuerAuthKind = (typeof issuerAuthKinds)[number];

export type IssuerAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'hmac'; readonly keyId: string; readonly secretRef: string }
  | { readonly kind: 'bearer'; readonly secretRef: string };

export const NO_ISSUER_AUTH: IssuerAuth = { kind: 'none' };

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// A secret's ARN, or its name (Secrets Manager allows these characters, 512 at most).
const SECRET_REF = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The auth to store for a brand registered in `mode`, or a `ValidationError` naming the field. */
export function checkIssuerAuth(auth: IssuerAuth | undefined, mode: IssuerUrlMode): IssuerAuth {
  const given = auth ?? NO_ISSUER_AUTH;
  if (given.kind === 'none') {
    if (mode === 'local') return given;
    throw new ValidationError('an issuer outside the local stack needs auth hmac or bearer', {
      field: 'auth',
    });
  }
  if (!SECRET_REF.test(given.secretRef)) {
    throw new ValidationError('auth.secretRef must be a Secrets Manager ARN or name', {
      field: 'auth.secretRef',
    });
  }
  if (given.kind === 'hmac' && !KEY_ID.test(given.keyId)) {
    throw new ValidationError('auth.keyId must be 1-64 letters, digits, dots, dashes or underscores', {
      field: 'auth.keyId',
    });
  }
  return given;
}
