import type { WebhookEventType } from './webhook-event.js';

export const webhookEndpointStatuses = ['enabled', 'disabled'] as const;
export type WebhookEndpointStatus = (typeof webhookEndpointStatuses)[number];

/**
 * Which endpoint addresses are allowed: `aws` (https on a public address only) or `local` (the
 * local stack, where `http://127.0.0.1` is allowed too so tests run a real receiver).
 */
export const endpointModes = ['aws', 'local'] as const;
export type EndpointMode = (typeof endpointModes)[number];

/** At most this many endpoints per tenant: each event is matched against all of them. */
export const MAX_ENDPOINTS_PER_TENANT = 16;

/** How long the secret before a roll keeps signing deliveries (issue 9: 24 hours). */
export const SECRET_OVERLAP_SECONDS = 24 * 3600;

/**
 * At most this many secrets sign a delivery: the newest and the ones rolled out before it that
 * are still in their overlap. Without a bound, rolls in a loop would grow the endpoint item and
 * every signature header without end (each secret is one more `v1`); a roll beyond it ends the
 * oldest overlap early, which only a receiver that fell 3 rolls behind in a day can notice.
 */
export const MAX_SIGNING_SECRETS = 3;

/**
 * A signing secret as stored, sealed (issue 20): `sealed` opens only with the webhook secret key
 * under `{ tenantId, endpointId }`, which only the dispatcher may use; `last4` is what the API
 * shows of it (24 of its 256 bits). `expiresAt` is set on the previous secret when a new one is
 * rolled in.
 */
export interface SealedSigningSecret {
  readonly sealed: string;
  readonly last4: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
}

/**
 * A secret stored in the clear before issue 20. Still read, and signs, so endpoints registered
 * before the change keep working; the endpoint's next change seals it (WebhookEndpointService),
 * and `npm run webhooks:seal-secrets` seals every one left.
 */
export interface ClearSigningSecret {
  readonly secret: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
}

export type SigningSecret = SealedSigningSecret | ClearSigningSecret;

/** What a roll stores: a sealed secret (or, in tests of old items, a clear one). */
export type NewSigningSecret =
  | Pick<SealedSigningSecret, 'sealed' | 'last4'>
  | Pick<ClearSigningSecret, 'secret'>;

export function isClearSecret(s: SigningSecret): s is ClearSigningSecret {
  return 'secret' in s;
}

/** The last 4 characters of the secret, whichever way it is stored. */
export function last4Of(s: SigningSecret): string {
  return isClearSecret(s) ? s.secret.slice(-4) : s.last4;
}

/** Where a tenant wants its events: a URL, what to send (`'*'` for all) and how to sign. */
export interface WebhookEndpoint {
  readonly tenantId: string;
  readonly endpointId: string;
  readonly url: string;
  /** The tenant's own note ("orders to the fulfilment service"). */
  readonly description?: string;
  readonly eventTypes: readonly (WebhookEventType | '*')[];
  readonly status: WebhookEndpointStatus;
  /** Newest first. */
  readonly secrets: readonly SigningSecret[];
  readonly createdAt: string;
  /** Deliveries failed for good in a row; reset by a success. */
  readonly consecutiveFailures: number;
  readonly disabledReason?: string;
  /** The API key that registered it: revoking that key may disable it (issue 20). */
  readonly createdByKeyId?: string;
}

/**
 * The secrets a delivery made at `now` is signed with: the newest and any still in its overlap,
 * as stored (the dispatcher opens the sealed ones).
 */
export function signingSecrets<S extends Pick<SigningSecret, 'expiresAt'>>(
  endpoint: { readonly secrets: readonly S[] },
  now: Date,
): S[] {
  return endpoint.secrets.filter((s) => s.expiresAt === undefined || Date.parse(s.expiresAt) > now.getTime());
}

/**
 * The endpoint after a roll: `secret` signs from now on, the current one for 24 more hours, and
 * older ones still in their overlap keep theirs, newest first, up to `MAX_SIGNING_SECRETS` in all.
 */
export function rollSecret(endpoint: WebhookEndpoint, secret: NewSigningSecret, now: Date): WebhookEndpoint {
  const expiresAt = new Date(now.getTime() + SECRET_OVERLAP_SECONDS * 1000).toISOString();
  const kept = endpoint.secrets
    .filter((s) => s.expiresAt === undefined || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => (s.expiresAt === undefined ? { ...s, expiresAt } : s))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
    .slice(0, MAX_SIGNING_SECRETS - 1);
  return { ...endpoint, secrets: [{ ...secret, createdAt: now.toISOString() }, ...kept] };
}
