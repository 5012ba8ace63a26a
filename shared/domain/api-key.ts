/**
 * What an API key may do. A tenant gives each of its services the least key it needs: its order
 * service `orders`, its buyer-facing service `reveal`, its dispute desk `desk` and `read`.
 */
export const apiScopes = ['listings', 'orders', 'reveal', 'desk', 'webhooks', 'keys', 'read'] as const;
export type ApiScope = (typeof apiScopes)[number];

/** A key as stored: only the SHA-256 of its secret, never the secret. */
export interface ApiKeyRecord {
  readonly keyId: string;
  readonly tenantId: string;
  readonly secretHash: string;
  readonly scopes: readonly ApiScope[];
  readonly description?: string;
  readonly createdAt: string;
  /** When a process last found the key (at most once a minute is written: see TenantService). */
  readonly lastUsedAt?: string;
}

/** Who called: the tenant and the key that matched, with what it may do. */
export interface ApiPrincipal {
  readonly tenantId: string;
  readonly keyId: string;
  readonly scopes: readonly ApiScope[];
}

/** What revoking a key may also end: what the key made. */
export const revocationEnds = ['links', 'webhook-endpoints'] as const;
export type RevocationEnd = (typeof revocationEnds)[number];

/** A key's revocation as its tenant's key trail keeps it: who, when, and what it ended. */
export interface ApiKeyRevocation {
  readonly eventId: string;
  readonly tenantId: string;
  readonly keyId: string;
  /** The key that asked (the revoked key itself when it revoked itself). */
  readonly byKeyId: string;
  readonly at: string;
  readonly links: readonly string[];
  readonly webhookEndpoints: readonly string[];
}

/** The scopes a call needs: any one of them will do (a GET takes `read` or its area's scope). */
export function missingScope(have: readonly ApiScope[], anyOf: readonly ApiScope[]): ApiScope | undefined {
  return anyOf.some((scope) => have.includes(scope)) ? undefined : anyOf[0];
}

/** A key gives no more than it has: the scopes asked for that the creating key lacks. */
export function scopesBeyond(have: readonly ApiScope[], asked: readonly ApiScope[]): ApiScope[] {
  return asked.filter((scope) => !have.includes(scope));
}
