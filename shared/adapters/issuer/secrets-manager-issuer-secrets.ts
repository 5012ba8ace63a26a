import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DependencyUnavailableError } from '../../domain/errors.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { IssuerSecrets } from '../../ports/issuer-secrets.js';

/** Options for {@link SecretsManagerIssuerSecrets}. */
export interface SecretsManagerIssuerSecretsOptions {
  readonly client?: SecretsManagerClient;
  /**
   * How long a read secret is used before it is read again: the longest a rotated secret takes
   * to reach running functions. Default 300 s; 3600 s at most.
   */
  readonly ttlSeconds?: number;
  /** Secrets kept at most; the oldest go first. Default 100. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

/**
 * Issuer secrets (HMAC keys, bearer tokens) from AWS Secrets Manager, by ARN or name, as a string
 * secret. Only the deposit, reveal and sweeper functions may read them (infra/function-specs.ts).
 * Cached per process for a bounded time: a check does not pay a Secrets Manager call, and a
 * rotation needs no deploy.
 */
export class SecretsManagerIssuerSecrets implements IssuerSecrets {
  private readonly client: SecretsManagerClient;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: Clock;
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();

  constructor(options: SecretsManagerIssuerSecretsOptions = {}) {
    this.client = options.client ?? new SecretsManagerClient({});
    const ttlSeconds = options.ttlSeconds ?? 300;
    if (!(ttlSeconds >= 0 && ttlSeconds <= 3600)) throw new RangeError('ttlSeconds must be 0-3600');
    this.ttlMs = ttlSeconds * 1000;
    this.maxEntries = options.maxEntries ?? 100;
    this.clock = options.clock ?? systemClock;
  }

  get(ref: string): Promise<string> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(ref);
    if (hit && hit.until > now) return hit.value;
    // One read per secret at a time: concurrent checks share it; a failed read is not kept.
    const value = this.read(ref);
    this.cache.delete(ref);
    this.cache.set(ref, { value, until: now + this.ttlMs });
    value.catch(() => this.cache.get(ref)?.value === value && this.cache.delete(ref));
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return value;
  }

  private async read(ref: string): Promise<string> {
    let secret: string | undefined;
    try {
      secret = (await this.client.send(new GetSecretValueCommand({ SecretId: ref }))).SecretString;
    } catch (error) {
      const name = (error as Error).name;
      throw new DependencyUnavailableError(
        `issuer secret ${ref} could not be read (${name})`,
        { dependency: 'secrets-manager' },
        { cause: error },
      );
    }
    if (!secret) {
      throw new DependencyUnavailableError(`issuer secret ${ref} holds no string`, {
        dependency: 'secrets-manager',
      });
    }
    return secret;
  }
}
