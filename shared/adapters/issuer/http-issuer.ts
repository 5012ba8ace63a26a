import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod/mini';
import { type Brand, normalizeCode } from '../../domain/brand.js';
import { DependencyProtocolError, DependencyUnavailableError } from '../../domain/errors.js';
import { type IssuerCheck, issuerStates } from '../../domain/issuer-check.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { Issuer } from '../../ports/issuer.js';
import { CircuitBreaker } from './circuit-breaker.js';

/** Tuning and test seams for {@link HttpIssuer}; every field has a production default. */
export interface HttpIssuerOptions {
  /** Per-attempt timeout, covering the answer's body too. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Extra attempts after the first on network errors, timeouts, 5xx and 429. Default 2. */
  readonly retries?: number;
  /** First backoff delay, doubled on each retry, with jitter. Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Cap on one backoff delay. Default 1000 ms. */
  readonly maxDelayMs?: number;
  /** Consecutive failed attempts that open an issuer's circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long an open circuit fails fast before one probe. Default 30 000 ms. */
  readonly cooldownMs?: number;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
}

// Tolerant reader: unknown fields are dropped and null reads as absent.
const answerSchema = z.object({
  state: z.enum(issuerStates),
  balance: z.nullish(
    z.object({ amount: z.int().check(z.nonnegative()), currency: z.string().check(z.regex(/^[A-Z]{3}$/)) }),
  ),
  redeemedAt: z.nullish(z.iso.datetime({ offset: true })),
  lastUsedAt: z.nullish(z.iso.datetime({ offset: true })),
});

type Outcome =
  | { readonly ok: true; readonly check: IssuerCheck }
  | {
      readonly ok: false;
      readonly detail: string;
      readonly cause: unknown;
      readonly retryable: boolean;
      /** The issuer answered, so its circuit should not count this against it (plain 4xx). */
      readonly issuerHealthy: boolean;
      /**
       * The issuer answered, but not as the protocol says (a 4xx, a redirect, a malformed body):
       * it is up and misbehaving, not unreachable.
       */
      readonly misbehaving: boolean;
    };

/**
 * The {@link Issuer} port over the issuer protocol (docs/design.md "Issuer protocol"):
 * `POST {issuerUrl}/check`. Keeps one circuit breaker per issuer URL for its lifetime, so
 * build one instance per process. Errors never carry the code: not in messages, not in causes.
 */
export class HttpIssuer implements Issuer {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly newBreaker: () => CircuitBreaker;
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Issuers whose last failed answer was a protocol violation: an open circuit keeps saying so. */
  private readonly misbehaved = new Set<string>();

  constructor(options: HttpIssuerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 2;
    if (!Number.isInteger(this.retries) || this.retries < 0) {
      throw new RangeError('retries must be an integer >= 0');
    }
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.random = options.random ?? Math.random;
    const clock = options.clock ?? systemClock;
    const breakerOptions = {
      ...(options.failureThreshold !== undefined && { failureThreshold: options.failureThreshold }),
      ...(options.cooldownMs !== undefined && { cooldownMs: options.cooldownMs }),
      now: () => clock.now().getTime(),
    };
    this.newBreaker = () => new CircuitBreaker(breakerOptions);
  }

  async check(brand: Brand, secret: { code: string; pin?: string }): Promise<IssuerCheck> {
    const base = brand.issuerUrl.replace(/\/+$/, '');
    const breaker = this.breakerFor(base);
    const body = JSON.stringify({
      brand: brand.brand,
      code: normalizeCode(secret.code),
      ...(secret.pin !== undefined && { pin: secret.pin }),
    });
    let failure: Extract<Outcome, { ok: false }> | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await this.sleep(this.backoff(attempt));
      // Checked before every attempt, so retries stop as soon as the circuit opens.
      if (!breaker.tryAcquire()) {
        throw unavailable(brand, 'circuit open', failure?.cause, this.misbehaved.has(base));
      }
      const outcome = await this.attempt(`${base}/check`, body);
      if (outcome.ok || outcome.issuerHealthy) breaker.onSuccess();
      else breaker.onFailure();
      if (outcome.ok) {
        this.misbehaved.delete(base);
        return outcome.check;
      }
      if (outcome.misbehaving) this.misbehaved.add(base);
      else this.misbehaved.delete(base);
      failure = outcome;
      if (!outcome.retryable) break;
    }
    const attempts = failure?.retryable ? ` after ${this.retries + 1} attempts` : '';
    throw unavailable(brand, `${failure?.detail}${attempts}`, failure?.cause, failure?.misbehaving ?? false);
  }

  private breakerFor(issuerUrl: string): CircuitBreaker {
    let breaker = this.breakers.get(issuerUrl);
    if (breaker === undefined) {
      breaker = this.newBreaker();
      this.breakers.set(issuerUrl, breaker);
    }
    return breaker;
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private backoff(retry: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (retry - 1));
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  private async attempt(url: string, body: string): Promise<Outcome> {
    let text: string;
    let status: number;
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        // A redirect would re-send the code to a host nobody configured: treat it as an error answer.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      // The body of an error answer is never read: it might echo the request, code included.
      if (!response.ok) await response.body?.cancel().catch(() => undefined);
      text = response.ok ? await response.text() : '';
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const detail = timedOut ? `timed out after ${this.timeoutMs} ms` : 'network error';
      return { ok: false, detail, cause: error, retryable: true, issuerHealthy: false, misbehaving: false };
    }
    if (status >= 500 || status === 429) {
      const detail = `HTTP ${status}`;
      return {
        ok: false,
        detail,
        cause: undefined,
        retryable: true,
        issuerHealthy: false,
        misbehaving: false,
      };
    }
    if (status < 200 || status >= 300) {
      const detail = `HTTP ${status}`;
      return {
        ok: false,
        detail,
        cause: undefined,
        retryable: false,
        issuerHealthy: true,
        misbehaving: true,
      };
    }
    return parseAnswer(text);
  }
}

function parseAnswer(text: string): Outcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text in its message: keep that out of the cause.
    return malformed(new Error('answer is not JSON'));
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    return malformed(new Error(`answer does not match the issuer protocol at: ${paths}`));
  }
  const { state, balance, redeemedAt, lastUsedAt } = parsed.data;
  const check: IssuerCheck = {
    state,
    ...(balance != null && { balance }),
    ...(redeemedAt != null && { redeemedAt }),
    ...(lastUsedAt != null && { lastUsedAt }),
  };
  return { ok: true, check };
}

function malformed(cause: Error): Outcome {
  return {
    ok: false,
    detail: 'malformed answer',
    cause,
    retryable: false,
    issuerHealthy: false,
    misbehaving: true,
  };
}

/** Unreachable (network, timeout, 5xx, 429), or answering against the protocol (`DependencyProtocolError`). */
function unavailable(
  brand: Brand,
  detail: string,
  cause: unknown,
  misbehaving: boolean,
): DependencyUnavailableError {
  const Failure = misbehaving ? DependencyProtocolError : DependencyUnavailableError;
  return new Failure(
    `issuer for brand ${brand.brand} ${misbehaving ? 'misbehaving' : 'unavailable'}: ${detail}`,
    { dependency: 'issuer', brand: brand.brand },
    { cause },
  );
}
