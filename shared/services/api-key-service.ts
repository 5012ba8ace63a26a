import {
  type ApiKeyRecord,
  type ApiKeyRevocation,
  type ApiPrincipal,
  type ApiScope,
  type RevocationEnd,
  scopesBeyond,
} from '../domain/api-key.js';
import { InsufficientScopeError, InvalidStateError, NotFoundError } from '../domain/errors.js';
import type { LinkService } from './link-service.js';
import { apiKeyRecord, newApiKey, type TenantService } from './tenant-service.js';
import type { CoreDeps } from './vault-deps.js';
import type { WebhookEndpointService } from './webhook-endpoint-service.js';

export interface NewApiKey {
  readonly scopes: readonly ApiScope[];
  readonly description?: string;
}

/**
 * A tenant's own keys, through the API (a `keys` key): made, listed and revoked without an
 * operator. Two or more may be live at once, so a service moves to a new key before the old one
 * is revoked (a rotation without downtime).
 */
export class ApiKeyService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids'>,
    private readonly tenants: Pick<TenantService, 'forget'>,
    /** What a key makes, ended with it on request. */
    private readonly made: {
      readonly links: Pick<LinkService, 'revokeMadeBy'>;
      readonly webhookEndpoints: Pick<WebhookEndpointService, 'disableMadeBy'>;
    },
  ) {}

  /**
   * Makes a key and returns it with its secret: the only time it is shown. A key gives no more
   * than it has, so a `keys` key without `reveal` cannot mint one that reveals.
   */
  async create(caller: ApiPrincipal, wanted: NewApiKey): Promise<{ record: ApiKeyRecord; apiKey: string }> {
    const beyond = scopesBeyond(caller.scopes, wanted.scopes);
    if (beyond[0]) {
      throw new InsufficientScopeError(
        `a key can only give scopes it has itself; this one lacks \`${beyond[0]}\``,
        { scope: beyond[0] },
      );
    }
    const apiKey = newApiKey();
    const record = apiKeyRecord(apiKey, {
      tenantId: caller.tenantId,
      scopes: [...new Set(wanted.scopes)],
      ...(wanted.description === undefined ? {} : { description: wanted.description }),
      createdAt: this.deps.clock.now().toISOString(),
    });
    await this.deps.stores.tenants.putApiKey(record);
    return { record, apiKey };
  }

  list(tenantId: string): Promise<ApiKeyRecord[]> {
    return this.deps.stores.tenants.listApiKeys(tenantId);
  }

  /**
   * Revokes one of the tenant's keys: this process refuses it at once, the others within
   * API_KEY_CACHE_SECONDS. Another tenant's key id, or an unknown one, is not found; a key wider
   * than the caller's is refused (insufficient-scope), and so is the tenant's last key (409).
   */
  async revoke(
    caller: ApiPrincipal,
    keyId: string,
    ends: readonly RevocationEnd[] = [],
  ): Promise<ApiKeyRevocation> {
    const { tenantId } = caller;
    const keys = await this.deps.stores.tenants.listApiKeys(tenantId);
    const target = keys.find((key) => key.keyId === keyId);
    if (!target) throw new NotFoundError(`no API key ${keyId}`);
    // A key revokes no key wider than itself (so a leaked `keys` key cannot remove the tenant's
    // admin key), and what the revoked key made it could only make with scopes the caller has too.
    const beyond = scopesBeyond(caller.scopes, target.scopes);
    if (beyond[0]) {
      throw new InsufficientScopeError(
        `a key can only revoke keys whose scopes it has itself; this one lacks \`${beyond[0]}\``,
        { scope: beyond[0] },
      );
    }
    if (keys.length === 1) {
      throw new InvalidStateError("the tenant's last API key cannot be revoked: make its successor first", {
        keyId,
      });
    }
    const removed = await this.deps.stores.tenants.deleteApiKey(keyId, tenantId);
    this.tenants.forget(keyId);
    if (!removed) throw new NotFoundError(`no API key ${keyId}`);
    // The key first, so it makes nothing more while what it made is ended.
    const links = ends.includes('links') ? await this.made.links.revokeMadeBy(tenantId, keyId) : [];
    const webhookEndpoints = ends.includes('webhook-endpoints')
      ? await this.made.webhookEndpoints.disableMadeBy(tenantId, keyId)
      : [];
    const now = this.deps.clock.now();
    const line: ApiKeyRevocation = {
      eventId: this.deps.ids.next('evt', now),
      tenantId,
      keyId,
      byKeyId: caller.keyId,
      at: now.toISOString(),
      links,
      webhookEndpoints,
    };
    await this.deps.stores.tenants.recordKeyRevocation(line);
    return line;
  }
}
