/**
 * The secret material a brand's issuer auth refers to (docs/issuer-protocol.md
 * "Authentication"). Implementations cache for a bounded time, so a rotated secret is used
 * without a deploy. Throws `DependencyUnavailableError` when the secret cannot be read; the
 * secret never appears in an error.
 */
export interface IssuerSecrets {
  get(ref: string): Promise<string>;
}
