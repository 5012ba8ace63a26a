/**
 * How the client sends a request: the API key, JSON in and out, Idempotency-Keys, retries that
 * follow `Retry-After`, and problems as typed errors. Only `fetch`: runs on Node 18+, Deno,
 * Bun, workers and browsers alike.
 */

export interface CallOptions {
  /** For operations that take one; by default the client makes one per call and keeps it across retries. */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export interface ClientOptions {
  /** The vault's base URL, e.g. `http://127.0.0.1:3000` or the API Gateway URL. */
  readonly baseUrl: string;
  /** The tenant's API key (`cv_...`). */
  readonly apiKey: string;
  /** Retries of a `concurrent-update` 409 or a 503 (and of a lost connection where safe); default 3. */
  readonly maxRetries?: number;
  /** The longest wait between tries, whatever `Retry-After` says (milliseconds); default 10 s. */
  readonly maxRetryDelayMs?: number;
  /** Another fetch (tests, proxies, instrumentation). */
  readonly fetch?: typeof fetch;
}

/** An RFC 9457 problem document as the vault sends it. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

/** A problem answer, with its stable `code` (the last segment of `type`) to branch on. */
export class CardVaultProblem<Code extends string = string> extends Error {
  override readonly name = 'CardVaultProblem';
  readonly code: Code;
  readonly status: number;

  constructor(
    readonly problem: ProblemDocument,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.code = problem.type.replace(/^.*\//, '') as Code;
    this.status = problem.status;
  }
}

export interface OperationSpec {
  readonly method: string;
  readonly path: string;
  /** The operation takes an Idempotency-Key: the client sends one and may retry after a 503. */
  readonly idempotencyKey: boolean;
}

export interface Transport {
  send<T>(
    spec: OperationSpec,
    request: { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
    options?: CallOptions,
  ): Promise<T>;
}

/**
 * A 503 may come after the vault committed (the answer was lost on the way), so only requests
 * that cannot take effect twice are sent again: reads, operations with an Idempotency-Key, and
 * payments (idempotent by `paymentRef`). A `concurrent-update` 409 always means nothing was
 * committed, so any request may be sent again.
 */
function safeToRepeat(spec: OperationSpec): boolean {
  return spec.method === 'GET' || spec.idempotencyKey || spec.path.endsWith('/payment');
}

export function fetchTransport(options: ClientOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 3;
  const maxDelayMs = options.maxRetryDelayMs ?? 10_000;

  return {
    async send<T>(
      spec: OperationSpec,
      request: { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
      call: CallOptions = {},
    ): Promise<T> {
      const url = base + expand(spec.path, request.path ?? {}) + queryString(request.query);
      const headers: Record<string, string> = {
        authorization: `Bearer ${options.apiKey}`,
        accept: 'application/json, application/problem+json',
      };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      if (spec.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey ?? crypto.randomUUID();
      const init: RequestInit = {
        method: spec.method,
        headers,
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      };

      for (let attempt = 0; ; attempt++) {
        let response: Response;
        try {
          response = await doFetch(url, init);
        } catch (error) {
          // No answer at all: as a 503 would be, but only where a repeat cannot take effect twice.
          if (attempt >= maxRetries || !safeToRepeat(spec) || call.signal?.aborted) throw error;
          await sleep(backoffMs(attempt, undefined, maxDelayMs), call.signal);
          continue;
        }
        if (response.ok) {
          return (response.status === 204 ? undefined : await response.json()) as T;
        }
        const problem = await problemOf(response);
        const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
        const error = new CardVaultProblem(problem, retryAfter);
        const retryable =
          (error.code === 'concurrent-update' || (response.status === 503 && safeToRepeat(spec))) &&
          attempt < maxRetries;
        if (!retryable) throw error;
        await sleep(backoffMs(attempt, retryAfter, maxDelayMs), call.signal);
      }
    },
  };
}

function expand(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

async function problemOf(response: Response): Promise<ProblemDocument> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as ProblemDocument;
    if (typeof body.type === 'string' && typeof body.status === 'number') return body;
  } catch {}
  // Not the vault's own answer (a gateway's HTML error page, a proxy): keep the status.
  return { type: 'about:blank', title: response.statusText || 'HTTP error', status: response.status };
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** `Retry-After` when the vault sent one, else exponential from 200 ms; always with jitter, capped. */
function backoffMs(attempt: number, retryAfter: number | undefined, maxDelayMs: number): number {
  const base = retryAfter !== undefined ? retryAfter * 1000 : 200 * 2 ** attempt;
  return Math.min(maxDelayMs, base) * (0.8 + Math.random() * 0.4);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
