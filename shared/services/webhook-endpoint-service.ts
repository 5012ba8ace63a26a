import { randomBytes } from 'node:crypto';
import {
  ConcurrentUpdateError,
  NotFoundError,
  WebhookEndpointLimitError,
  WebhookUrlRefusedError,
} from '../domain/errors.js';
import {
  isClearSecret,
  MAX_ENDPOINTS_PER_TENANT,
  rollSecret,
  type SealedSigningSecret,
  type SigningSecret,
  type WebhookEndpoint,
  type WebhookEndpointStatus,
} from '../domain/webhook-endpoint.js';
import type { WebhookEventType } from '../domain/webhook-event.js';
import type { ApiDeps } from './vault-deps.js';

export type EndpointEventTypes = readonly (WebhookEventType | '*')[];

export interface EndpointRegistration {
  readonly url: string;
  readonly eventTypes: EndpointEventTypes;
  readonly description?: string | undefined;
  /** The API key registering it, recorded so revoking the key can disable what it made. */
  readonly createdByKeyId?: string;
}

/** What an update may change; `description: null` removes it. */
export interface EndpointChanges {
  readonly url?: string | undefined;
  readonly eventTypes?: EndpointEventTypes | undefined;
  readonly description?: string | null | undefined;
  readonly status?: WebhookEndpointStatus | undefined;
}

/** An endpoint with the signing secret just minted: the one answer that ever shows it. */
export interface EndpointWithSecret {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}

/**
 * A tenant's webhook endpoints (issue 9): register, read, change, disable, delete, roll the
 * signing secret. A secret is shown once, when it is minted; the old one keeps signing for 24
 * hours after a roll. URLs are checked at registration and at every change; the sender checks
 * the address it connects to again at every delivery.
 */
export class WebhookEndpointService {
  constructor(
    private readonly deps: Pick<ApiDeps, 'stores' | 'clock' | 'ids' | 'endpointUrls' | 'webhookSecrets'>,
  ) {}

  async register(tenantId: string, input: EndpointRegistration): Promise<EndpointWithSecret> {
    const url = this.checkedUrl(input.url);
    const store = this.deps.stores.webhookEndpoints;
    // Counted on a read before the write, so registrations racing at the cap may each pass it: the
    // cap bounds the dispatcher's work per event, it is no invariant worth a transaction.
    if ((await store.list(tenantId)).length >= MAX_ENDPOINTS_PER_TENANT) {
      throw new WebhookEndpointLimitError(
        `a tenant may have at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first`,
        { limit: MAX_ENDPOINTS_PER_TENANT },
      );
    }
    const now = this.deps.clock.now();
    const endpointId = this.deps.ids.next('whk', now);
    const secret = newSigningSecret();
    const sealed = await this.sealed(secret, tenantId, endpointId);
    const endpoint: WebhookEndpoint = {
      tenantId,
      endpointId,
      url,
      ...(input.description !== undefined ? { description: input.description } : {}),
      eventTypes: normalisedTypes(input.eventTypes),
      status: 'enabled',
      secrets: [{ ...sealed, createdAt: now.toISOString() }],
      createdAt: now.toISOString(),
      consecutiveFailures: 0,
      ...(input.createdByKeyId !== undefined ? { createdByKeyId: input.createdByKeyId } : {}),
    };
    await store.create(endpoint);
    return { endpoint, secret };
  }

  /** Oldest first (ids sort by creation time); each with the secrets that sign today. */
  async list(tenantId: string): Promise<WebhookEndpoint[]> {
    const now = this.deps.clock.now();
    const all = await this.deps.stores.webhookEndpoints.list(tenantId);
    return all.map((e) => withLiveSecrets(e, now)).sort((a, b) => (a.endpointId < b.endpointId ? -1 : 1));
  }

  /** Another tenant's endpoint is not found, like a missing one. */
  async get(tenantId: string, endpointId: string): Promise<WebhookEndpoint> {
    const endpoint = await this.deps.stores.webhookEndpoints.get(tenantId, endpointId);
    if (!endpoint) throw new NotFoundError('no such webhook endpoint');
    return withLiveSecrets(endpoint, this.deps.clock.now());
  }

  async update(tenantId: string, endpointId: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    const url = changes.url === undefined ? undefined : this.checkedUrl(changes.url);
    return this.change(tenantId, endpointId, (current) => {
      const { description, disabledReason, ...rest } = current;
      const nextDescription = changes.description === undefined ? description : changes.description;
      const status = changes.status ?? current.status;
      // Enabling again starts the failure count afresh; the automatic reason no longer applies.
      const reenabled = current.status === 'disabled' && status === 'enabled';
      return {
        ...rest,
        ...(url !== undefined ? { url } : {}),
        ...(changes.eventTypes !== undefined ? { eventTypes: normalisedTypes(changes.eventTypes) } : {}),
        ...(nextDescription !== undefined && nextDescription !== null
          ? { description: nextDescription }
          : {}),
        status,
        ...(reenabled ? { consecutiveFailures: 0 } : {}),
        ...(disabledReason !== undefined && status === 'disabled' ? { disabledReason } : {}),
      };
    });
  }

  async disable(tenantId: string, endpointId: string): Promise<WebhookEndpoint> {
    return this.update(tenantId, endpointId, { status: 'disabled' });
  }

  /** Answers NotFoundError for an endpoint that is not there (deleted already, or another tenant's). */
  async delete(tenantId: string, endpointId: string): Promise<void> {
    await this.get(tenantId, endpointId);
    await this.deps.stores.webhookEndpoints.delete(tenantId, endpointId);
  }

  /** A new secret signs from now on; the current one for 24 more hours (both are sent meanwhile). */
  async rollSecret(tenantId: string, endpointId: string): Promise<EndpointWithSecret> {
    const secret = newSigningSecret();
    const sealed = await this.sealed(secret, tenantId, endpointId);
    const endpoint = await this.change(tenantId, endpointId, (current) =>
      rollSecret(current, sealed, this.deps.clock.now()),
    );
    return { endpoint, secret };
  }

  /**
   * Seals the secrets of the tenant's endpoints still stored in the clear (written before issue
   * 20), for `npm run webhooks:seal-secrets`. Answers how many endpoints it changed.
   */
  async sealClearSecrets(tenantId: string): Promise<number> {
    const clear = (await this.deps.stores.webhookEndpoints.list(tenantId)).filter((e) =>
      e.secrets.some(isClearSecret),
    );
    // `change` seals whatever clear secret the endpoint holds, and drops expired ones.
    for (const endpoint of clear) await this.change(tenantId, endpoint.endpointId, (current) => current);
    return clear.length;
  }

  /**
   * Disables every enabled endpoint the key registered (revoking a leaked key with
   * `revoke=webhook-endpoints`): nothing more is sent to them. The ids disabled.
   */
  async disableMadeBy(tenantId: string, keyId: string): Promise<string[]> {
    const made = (await this.deps.stores.webhookEndpoints.list(tenantId)).filter(
      (e) => e.createdByKeyId === keyId && e.status === 'enabled',
    );
    for (const endpoint of made) {
      await this.change(tenantId, endpoint.endpointId, (current) => ({
        ...current,
        status: 'disabled',
        disabledReason: `the API key ${keyId} that registered it was revoked`,
      }));
    }
    return made.map((e) => e.endpointId);
  }

  /** Read, apply, write if nothing changed meanwhile; else apply again to a fresh read. */
  private async change(
    tenantId: string,
    endpointId: string,
    apply: (current: WebhookEndpoint) => WebhookEndpoint,
  ): Promise<WebhookEndpoint> {
    for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
      // The stored item, expired secrets included: the condition compares what is stored.
      const read = await this.deps.stores.webhookEndpoints.get(tenantId, endpointId);
      if (!read) break;
      const next = await this.withSealedSecrets(apply(withLiveSecrets(read, this.deps.clock.now())));
      if (await this.deps.stores.webhookEndpoints.replace(next, read)) return next;
    }
    if (!(await this.deps.stores.webhookEndpoints.get(tenantId, endpointId))) {
      throw new NotFoundError('no such webhook endpoint');
    }
    throw new ConcurrentUpdateError('the webhook endpoint changed concurrently; retry');
  }

  /** Any write seals what an older version of the vault stored in the clear (the migration path). */
  private async withSealedSecrets(endpoint: WebhookEndpoint): Promise<WebhookEndpoint> {
    if (!endpoint.secrets.some(isClearSecret)) return endpoint;
    const secrets = await Promise.all(
      endpoint.secrets.map(async (s): Promise<SigningSecret> => {
        if (!isClearSecret(s)) return s;
        const { secret, ...rest } = s;
        return { ...(await this.sealed(secret, endpoint.tenantId, endpoint.endpointId)), ...rest };
      }),
    );
    return { ...endpoint, secrets };
  }

  private async sealed(
    secret: string,
    tenantId: string,
    endpointId: string,
  ): Promise<Pick<SealedSigningSecret, 'sealed' | 'last4'>> {
    const sealed = await this.deps.webhookSecrets.seal(secret, { tenantId, endpointId });
    return { sealed, last4: secret.slice(-4) };
  }

  private checkedUrl(raw: string): string {
    const checked = this.deps.endpointUrls.check(raw);
    if ('refused' in checked) throw new WebhookUrlRefusedError(checked.refused);
    return checked.url;
  }
}

/** A change that lost a race is applied to a fresh read, this many attempts in all. */
const MAX_CHANGE_ATTEMPTS = 8;

/** `whsec_` + 32 random bytes, base64url (43 characters): Stripe's prefix, 256 bits. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Without the secrets whose overlap has ended: they sign nothing any more (and a write drops them). */
function withLiveSecrets(endpoint: WebhookEndpoint, now: Date): WebhookEndpoint {
  const live = (s: SigningSecret) => s.expiresAt === undefined || Date.parse(s.expiresAt) > now.getTime();
  return { ...endpoint, secrets: endpoint.secrets.filter(live) };
}

/** `'*'` stands alone; the rest once each, in the order given. */
function normalisedTypes(types: EndpointEventTypes): EndpointEventTypes {
  return types.includes('*') ? ['*'] : [...new Set(types)];
}
