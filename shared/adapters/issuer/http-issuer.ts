import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod/mini';
import { type Brand, normalizeCode } from '../../domain/brand.js';
import { DependencyProtocolError, DependencyUnavailableError } from '../../domain/errors.js';
import { type IssuerAuth, NO_ISSUER_AUTH } from '../../domain/issuer-auth.js';
import { type IssuerCheck, type IssuerCheckPurpose, issuerStates } from '../../domain/issuer-check.js';
import { checkIssuerUrl, type IssuerUrlMode } from '../../domain/issuer-url.js';
import {
  ANSWER_SIGNATURE_HEADER,
  parseAnswerSignatureHeader,
  verifyAnswerSignature,
} from '../../evidence/issuer-answer-signature.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { Issuer } from '../../ports/issuer.js';
import type { IssuerSecrets } from '../../ports/issuer-secrets.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { authHeaders } from './issuer-request-auth.js';
import { retryAfterMs } from './retry-after.js';

/** The longest one Retry-After may keep an issuer from being asked (then it is asked again). */
export const MAX_ISSUER_HOLD_MS = 60_000;
/** Tuning and test seams for {@link HttpIssuer}; every field has a production default. */
export interface HttpIssuerOptions {
  /**
   * Where this process runs: `aws` sends codes over https only and never to a loopback host;
   * `local` (the local stack, tests) also allows http to loopback. Checked before every request,
   * so a brand stored before the rule, or written past the CLI, still sends nothing in the clear.
   */
  readonly mode: IssuerUrlMode;
  /** Where a brand's `hmac` or `bearer` secret is read; without it only `none` brands are checked. */
  readonly secrets?: IssuerSecrets;
  /** Per-attempt timeout, covering the answer's body too. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** Extra attempts after the first on network errors, timeouts, 5xx and 429. Default 2. */
  readonly retries?: number;
  /** First backoff delay, doubled on each retry, with jitter. Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Cap on one backoff delay. Default 1000 ms. */
  readonly maxDelayMs?: number;
  /**
   * The longest `Retry-After` (on 429 and 503) the vault waits out inside one check. A longer
   * one fails the check at once, and every check to that issuer until the time has come: the
   * vault never asks again sooner than the issuer said. Default 2000 ms.
   */
  readonly maxRetryAfterMs?: number;
  /** Attempts in flight to one issuer at most; more wait their turn. Default 16. */
  readonly maxConcurrency?: number;
  /** Makes each check's request id (a UUID by default). */
  readonly requestIds?: () => string;
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
const balanceSchema = z.object({
  amount: z.int().check(z.nonnegative()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
});
const answerSchema = z.object({
  state: z.enum(issuerStates),
  balance: z.nullish(balanceSchema),
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
      /** What the issuer's `Retry-After` asked for, on 429 and 503. */
      readonly retryAfterMs?: number;
    };

/** What the vault keeps per issuer base URL for the life of the process. */
interface IssuerLine {
  readonly breaker: CircuitBreaker;
  readonly limit: ConcurrencyLimit;
  /** No request before this time (ms since the epoch): the issuer's last `Retry-After`. */
  notBefore: number;
}

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
  private readonly maxRetryAfterMs: number;
  private readonly maxConcurrency: number;
  private readonly requestIds: () => string;
  private readonly clock: Clock;
  private readonly newBreaker: () => CircuitBreaker;
  private readonly lines = new Map<string, IssuerLine>();
  /** Issuers whose last failed answer was a protocol violation: an open circuit keeps saying so. */
  private readonly misbehaved = new Set<string>();

  private readonly mode: IssuerUrlMode;
  private readonly secrets: IssuerSecrets | undefined;

  constructor(options: HttpIssuerOptions) {
    this.mode = options.mode;
    this.secrets = options.secrets;
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
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 2000;
    this.maxConcurrency = options.maxConcurrency ?? 16;
    if (!Number.isInteger(this.maxConcurrency) || this.maxConcurrency < 1) {
      throw new RangeError('maxConcurrency must be a positive integer');
    }
    this.requestIds = options.requestIds ?? randomUUID;
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    const breakerOptions = {
      ...(options.failureThreshold !== undefined && { failureThreshold: options.failureThreshold }),
      ...(options.cooldownMs !== undefined && { cooldownMs: options.cooldownMs }),
      now: () => clock.now().getTime(),
    };
    this.newBreaker = () => new CircuitBreaker(breakerOptions);
  }

  async check(
    brand: Brand,
    secret: { code: string; pin?: string },
    request: { readonly purpose: IssuerCheckPurpose },
  ): Promise<IssuerCheck> {
    let base: string;
    try {
      base = checkIssuerUrl(brand.issuerUrl, this.mode);
    } catch (error) {
      // The vault's own configuration is wrong, not the issuer: but nothing is sent, and the
      // caller treats it as it would an issuer answering against the protocol.
      throw unavailable(brand, `issuer URL refused (${(error as Error).message})`, undefined, true);
    }
    const auth = brand.auth ?? NO_ISSUER_AUTH;
    const authSecret = await this.secretFor(brand, auth);
    const line = this.lineFor(base);
    // One id per check: a retry asks the same question again, so an issuer can tell it apart
    // from a second check of the same code, and the answer's signature names it.
    const requestId = this.requestIds();
    const body = JSON.stringify({
      brand: brand.brand,
      code: normalizeCode(secret.code),
      ...(secret.pin !== undefined && { pin: secret.pin }),
      requestId,
      purpose: request.purpose,
    });
    let failure: Extract<Outcome, { ok: false }> | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const wait = Math.max(attempt > 0 ? this.backoff(attempt) : 0, line.notBefore - this.nowMs());
      if (wait > this.maxRetryAfterMs) {
        throw unavailable(brand, `asked to retry after ${Math.ceil(wait / 1000)} s`, failure?.cause, false);
      }
      if (wait > 0) await this.sleep(wait);
      // Checked before every attempt, so retries stop as soon as the circuit opens.
      if (!line.breaker.tryAcquire()) {
        throw unavailable(brand, 'circuit open', failure?.cause, this.misbehaved.has(base));
      }
      const headers = authHeaders(auth, authSecret, body, Math.floor(this.nowMs() / 1000));
      const outcome = await line.limit.run(() =>
        this.attempt(`${base}/check`, body, requestId, headers, brand),
      );
      if (outcome.ok || outcome.issuerHealthy) line.breaker.onSuccess();
      else line.breaker.onFailure();
      if (outcome.ok) {
        this.misbehaved.delete(base);
        return outcome.check;
      }
      if (outcome.retryAfterMs !== undefined) {
        // However long the answer asks, one answer holds the issuer back a minute at most: a
        // hostile or broken Retry-After must not switch checks off for a container's lifetime.
        const hold = Math.min(outcome.retryAfterMs, MAX_ISSUER_HOLD_MS);
        line.notBefore = Math.max(line.notBefore, this.nowMs() + hold);
      }
      if (outcome.misbehaving) this.misbehaved.add(base);
      else this.misbehaved.delete(base);
      failure = outcome;
      if (!outcome.retryable) break;
    }
    const attempts = failure?.retryable ? ` after ${this.retries + 1} attempts` : '';
    throw unavailable(brand, `${failure?.detail}${attempts}`, failure?.cause, failure?.misbehaving ?? false);
  }

  /** The brand's secret, or undefined for `none`, which only the local stack may use. */
  private async secretFor(brand: Brand, auth: IssuerAuth): Promise<string | undefined> {
    if (auth.kind === 'none') {
      if (this.mode === 'local') return undefined;
      throw unavailable(brand, 'no issuer auth (none is for the local stack only)', undefined, true);
    }
    if (this.secrets === undefined) {
      throw unavailable(brand, `no secret store for issuer auth ${auth.kind}`, undefined, true);
    }
    try {
      return await this.secrets.get(auth.secretRef);
    } catch (error) {
      // The store's error names the reference at most, never the secret. Counted as a misbehaving
      // issuer, not an unreachable one: a secret that cannot be read (a wrong reference, a store
      // outage) must refuse reveals, never let the best-effort policy show codes unchecked.
      throw unavailable(brand, `issuer secret unavailable (${auth.kind})`, error, true);
    }
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private lineFor(issuerUrl: string): IssuerLine {
    let line = this.lines.get(issuerUrl);
    if (line === undefined) {
      line = { breaker: this.newBreaker(), limit: new ConcurrencyLimit(this.maxConcurrency), notBefore: 0 };
      this.lines.set(issuerUrl, line);
    }
    return line;
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private backoff(retry: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (retry - 1));
    return Math.round(cap / 2 + (this.random() * cap) / 2);
  }

  private async attempt(
    url: string,
    body: string,
    requestId: string,
    auth: Record<string, string>,
    brand: Brand,
  ): Promise<Outcome> {
    let text: string;
    let status: number;
    let retryAfter: string | null = null;
    let signature: string | null = null;
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'card-vault-request-id': requestId,
          ...auth,
        },
        body,
        // A redirect would re-send the code to a host nobody configured: treat it as an error answer.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      signature = response.headers.get(ANSWER_SIGNATURE_HEADER);
      // The body of an error answer is never read: it might echo the request, code included.
      if (!response.ok) await response.body?.cancel().catch(() => undefined);
      text = response.ok ? await response.text() : '';
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const detail = timedOut ? `timed out after ${this.timeoutMs} ms` : 'network error';
      return { ok: false, detail, cause: error, retryable: true, issuerHealthy: false, misbehaving: false };
    }
    if (status >= 500 || status === 429) {
      const asked = status === 429 || status === 503 ? retryAfterMs(retryAfter, this.nowMs()) : undefined;
      return {
        ok: false,
        detail: `HTTP ${status}`,
        cause: undefined,
        retryable: true,
        issuerHealthy: false,
        misbehaving: false,
        ...(asked !== undefined && { retryAfterMs: asked }),
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
    const answer = parseAnswer(text, brand.answerKeys !== undefined);
    if (!answer.ok) return answer;
    return signedAnswer(answer.check, brand, { requestId, body: text, header: signature });
  }
}

/**
 * The answer with its verified signature kept, when the brand registered answer keys. A signature
 * that does not verify is always refused (someone altered the answer or signed it with another
 * key); a missing one only when the brand requires signed answers. Either is a misbehaving issuer,
 * never evidence.
 */
async function signedAnswer(
  check: IssuerCheck,
  brand: Brand,
  answer: { requestId: string; body: string; header: string | null },
): Promise<Outcome> {
  const keys = brand.answerKeys ?? [];
  if (keys.length === 0) return { ok: true, check };
  const signature = parseAnswerSignatureHeader(answer.header);
  if (signature === undefined) {
    if (brand.requireSignedAnswers !== true) return { ok: true, check };
    return misbehaving('unsigned answer', new Error('the brand requires signed answers'));
  }
  for (const key of keys) {
    const record = { key, requestId: answer.requestId, body: answer.body, signature };
    if (await verifyAnswerSignature(record)) return { ok: true, check: { ...check, signature: record } };
  }
  return misbehaving('bad answer signature', new Error('no answer key of the brand verifies it'));
}

// A signed answer is kept as sent, to verify later: only the protocol's fields at every level, so
// it can never hold a code an issuer echoed, and small.
const signedAnswerSchema = z.strictObject({
  ...answerSchema.shape,
  balance: z.nullish(z.strictObject(balanceSchema.shape)),
});
const MAX_SIGNED_ANSWER = 1024;

function parseAnswer(text: string, signed: boolean): Outcome {
  if (signed && text.length > MAX_SIGNED_ANSWER) {
    return malformed(new Error(`a signed answer is over ${MAX_SIGNED_ANSWER} characters`));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text in its message: keep that out of the cause.
    return malformed(new Error('answer is not JSON'));
  }
  // Kept as sent, so it must be what the vault read: compact JSON with each key once. A repeated
  // key (`{"state":"<anything>","state":"active"}`) parses to its last value and would otherwise
  // carry the first one, unread, into the evidence.
  if (signed && JSON.stringify(json) !== text) {
    return malformed(new Error('a signed answer must be compact JSON naming each field once'));
  }
  const parsed = (signed ? signedAnswerSchema : answerSchema).safeParse(json);
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
  return misbehaving('malformed answer', cause);
}

function misbehaving(detail: string, cause: Error): Outcome {
  return {
    ok: false,
    detail,
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
