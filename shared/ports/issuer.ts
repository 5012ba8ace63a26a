import type { Brand } from '../domain/brand.js';
import type { IssuerCheck, IssuerCheckPurpose } from '../domain/issuer-check.js';

/**
 * Asks a brand's issuer whether a code is unused. Timeouts, retries with backoff and a
 * per-issuer circuit breaker belong to the implementation. Throws
 * `DependencyUnavailableError` when the issuer cannot give an answer: its subclass
 * `DependencyProtocolError` when the issuer answered against the protocol (a 4xx, a redirect,
 * a malformed body), so callers can tell a misbehaving issuer from an unreachable one.
 * Each check carries its `purpose`, and the implementation gives it a unique request id.
 */
export interface Issuer {
  check(
    brand: Brand,
    secret: { code: string; pin?: string },
    request: { readonly purpose: IssuerCheckPurpose },
  ): Promise<IssuerCheck>;
}
