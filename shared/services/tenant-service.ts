import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type ApiKeyRecord, type ApiPrincipal, apiScopes } from '../domain/api-key.js';
import { assertValidPatterns, type Brand } from '../domain/brand.js';
import { UnauthorizedError, ValidationError } from '../domain/errors.js';
import { checkAnswerSigning } from '../domain/issuer-answer.js';
import { checkIssuerAuth } from '../domain/issuer-auth.js';
import { checkIssuerUrl, type IssuerUrlMode } from '../domain/issuer-url.js';
import type { RatePolicy } from '../domain/rate-limit.js';
import type { Tenant } from '../domain/tenant.js';
import { sha256Hex } from './hashing.js';
import { type CacheLimits, TtlCache } from './ttl-cache.js';
import type { CoreDeps } from './vault-deps.js';

const KEY_PATTERN = /^cvk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_PATTERN = /^[a-f0-9]{16}$/;

/** A key's use is written at most this often (per process that reads it): a read, not a write, per call. */
const LAST_USED_STEP_MS = 60_000;

/**
 * Tenants (marketplaces) and their API keys. A key is `cvk_<keyId>_<secret>`: the key id finds
 * the record, and only the SHA-256 of the secret is stored and compared in constant time.
 * Found keys are kept for `cacheLimits.seconds` (the revocation delay; off unless given).
 */
export class TenantService {
  /** Successful lookups only: the stored hash of the secret, never the secret. */
  private readonly known: TtlCache<ApiKeyRecord>;
  private readonly lookups = new Map<string, Promise<ApiKeyRecord | undefined>>();
  private readonly touches = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids'>,
    cacheLimits: CacheLimits = { seconds: 0, entries: 0 },
  ) {
    this.known = new TtlCache(deps.clock, cacheLimits);
  }

  /**
   * Creates a tenant and returns its first API key, with every scope (the tenant's own keys are
   * then made through the API): the only time the key is ever shown.
   */
  async create(name: string, fixedApiKey?: string): Promise<{ tenant: Tenant; apiKey: string }> {
    const now = this.deps.clock.now();
    const tenant: Tenant = { tenantId: this.deps.ids.next('tnt', now), name, createdAt: now.toISOString() };
    const apiKey = fixedApiKey ?? newApiKey();
    const record = apiKeyRecord(apiKey, {
      tenantId: tenant.tenantId,
      scopes: apiScopes,
      createdAt: tenant.createdAt,
    });
    await this.deps.stores.tenants.createTenant(tenant, { ...record, description: 'first key (admin CLI)' });
    return { tenant, apiKey };
  }

  /**
   * Adds or updates a brand the deployment accepts, and the issuer that checks its codes.
   * `mode` is where the brand will be checked from: outside the local stack (`aws`) the issuer
   * URL must be https and not loopback (docs/issuer-protocol.md "Transport").
   */
  async registerBrand(brand: Brand, mode: IssuerUrlMode): Promise<Brand> {
    // A bad pattern fails here, as a validation problem, not at the first deposit as a 500; and a
    // non-ASCII one is refused, since codes are normalised (NFKC, letters and digits) before matching.
    assertValidPatterns(brand);
    const { answerKeys, requireSignedAnswers, ...rest } = brand;
    const stored: Brand = {
      ...rest,
      issuerUrl: checkIssuerUrl(brand.issuerUrl, mode),
      auth: checkIssuerAuth(brand.auth, mode),
      // Keys reduced to their public members; a private one or a wrong curve is refused here.
      ...checkAnswerSigning({
        ...(answerKeys !== undefined && { answerKeys }),
        ...(requireSignedAnswers !== undefined && { requireSignedAnswers }),
      }),
    };
    await this.deps.stores.tenants.putBrand(stored);
    return stored;
  }

  /**
   * Sets a tenant's own rate limit, or (`undefined`) goes back to the deployment's default.
   * Running processes apply it within API_KEY_CACHE_SECONDS (they keep a tenant's policy as long).
   */
  async setRateLimit(tenantId: string, policy: RatePolicy | undefined): Promise<void> {
    if (policy && !(Number.isFinite(policy.ratePerSecond) && policy.ratePerSecond > 0)) {
      throw new ValidationError('the rate must be a positive number of requests per second');
    }
    if (policy && !(Number.isSafeInteger(policy.burst) && policy.burst >= 1)) {
      throw new ValidationError('the burst must be a whole number of requests, 1 at least');
    }
    await this.deps.stores.tenants.setRateLimit(tenantId, policy);
  }

  /** The tenant id for a presented key, or `UnauthorizedError` (same answer for every failure). */
  async authenticate(apiKey: string): Promise<string> {
    return (await this.authorize(apiKey)).tenantId;
  }

  /** The tenant, key and scopes for a presented key, or `UnauthorizedError` (same for every failure). */
  async authorize(apiKey: string): Promise<ApiPrincipal> {
    const parsed = KEY_PATTERN.exec(apiKey);
    // Built only when refusing: an Error captures a stack trace, a cost every request paid.
    const refused = () => new UnauthorizedError('missing or invalid API key');
    if (!parsed?.[1] || !parsed[2]) throw refused();
    const keyId = parsed[1];
    const presented = Buffer.from(sha256Hex(parsed[2]), 'hex');
    const cached = this.known.get(keyId);
    // A cached key holds the hash that was found: a wrong secret is refused without a read.
    const record = cached ?? (await this.lookup(keyId));
    if (!record) throw refused();
    const stored = Buffer.from(record.secretHash, 'hex');
    if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) throw refused();
    // Only a key that matched is kept, so guessed key ids never fill the cache.
    if (!cached) {
      this.known.remember(keyId, record);
      await this.recordUse(record);
    }
    return { tenantId: record.tenantId, keyId, scopes: record.scopes };
  }

  /** One read per key id at a time: requests arriving together with a new key share it. */
  private lookup(keyId: string) {
    const pending = this.lookups.get(keyId);
    if (pending) return pending;
    const read = this.deps.stores.tenants.findApiKey(keyId).finally(() => this.lookups.delete(keyId));
    this.lookups.set(keyId, read);
    return read;
  }

  /**
   * Records a matched key's use when the stored `lastUsedAt` is a minute old or more: a read per
   * cache lifetime stays a read, and a key in use is written about once a minute per process.
   * Requests arriving together with the key share one write.
   */
  private async recordUse(record: ApiKeyRecord): Promise<void> {
    const now = this.deps.clock.now();
    const last = record.lastUsedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(record.lastUsedAt);
    if (now.getTime() - last < LAST_USED_STEP_MS) return;
    const pending = this.touches.get(record.keyId);
    if (pending) return pending;
    const write = this.deps.stores.tenants
      .touchApiKey(record.keyId, now.toISOString())
      .finally(() => this.touches.delete(record.keyId));
    this.touches.set(record.keyId, write);
    return write;
  }

  /** This process stops accepting the key at once (others within `apiKeyCacheSeconds`). */
  forget(keyId: string): void {
    this.known.forget(keyId);
  }

  /**
   * Deletes an API key. Processes that found it in the last `apiKeyCacheSeconds` accept it until
   * their entry lapses; this one forgets it at once.
   */
  async revokeKey(keyId: string): Promise<void> {
    if (!KEY_ID_PATTERN.test(keyId)) throw new UnauthorizedError('malformed API key id');
    await this.deps.stores.tenants.deleteApiKey(keyId);
    this.forget(keyId);
  }
}

/** The key id part of an API key (`cvk_<keyId>_<secret>`), which names it without its secret. */
export function apiKeyId(apiKey: string): string | undefined {
  return KEY_PATTERN.exec(apiKey)?.[1];
}

/** The stored form of a new key: its id, and the SHA-256 of its secret. */
export function apiKeyRecord(
  apiKey: string,
  fields: Omit<ApiKeyRecord, 'keyId' | 'secretHash'>,
): ApiKeyRecord {
  const parsed = KEY_PATTERN.exec(apiKey);
  if (!parsed?.[1] || !parsed[2]) throw new UnauthorizedError('malformed API key');
  return { ...fields, keyId: parsed[1], secretHash: sha256Hex(parsed[2]) };
}

export function newApiKey(): string {
  return `cvk_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
}

export function isApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
