/**
 * How the client sends a request: the API key, JSON in and out, Idempotency-Keys, a deadline per
 * attempt, retries that follow `Retry-After`, and typed errors. Only `fetch`: runs on Node 20+,
 * Deno, Bun, workers and browsers alike.
 */
import type { ApiRequest, CallOptions, ClientOptions, OperationSpec, Transport } from './call-options.js';
import { CardVaultConnectionError, CardVaultProblem, CardVaultTimeoutError } from './errors.js';
import type { Problem } from './generated.js';

/**
 * An answer may be lost after the vault committed (a 503 from a gateway, a reset connection, a
 * timeout), so only requests that cannot take effect twice are sent again: reads, operations with
 * an Idempotency-Key, and payments (idempotent by `paymentRef`). A `concurrent-update` 409 always
 * means nothing was committed, so any request may be sent again.
 */
function safeToRepeat(spec: OperationSpec): boolean {
  return spec.method === 'GET' || spec.idempotencyKey || spec.path.endsWith('/payment');
}

/** Why an attempt got no usable answer; retried where safe, thrown once the retries are spent. */
type Lost = CardVaultConnectionError | CardVaultTimeoutError;

export function fetchTransport(options: ClientOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 3;
  const maxDelayMs = options.maxRetryDelayMs ?? 10_000;

  return {
    async send<T>(spec: OperationSpec, request: ApiRequest, call: CallOptions = {}): Promise<T> {
      const url = base + expand(spec.path, request.path ?? {}) + queryString(request.query);
      const headers: Record<string, string> = {
        authorization: `Bearer ${options.apiKey}`,
        accept: 'application/json, application/problem+json',
      };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      if (spec.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey ?? crypto.randomUUID();
      const timeoutMs = call.timeoutMs ?? options.timeoutMs ?? 30_000;

      for (let attempt = 0; ; attempt++) {
        const outcome = await attemptOnce(doFetch, url, {
          method: spec.method,
          headers,
          ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
          signal: call.signal,
          timeoutMs,
        });
        if (outcome.kind === 'ok') return outcome.body as T;
        if (outcome.kind === 'lost') {
          const lost = outcome.error;
          const gatewayStatus = lost instanceof CardVaultConnectionError ? lost.status : undefined;
          // A gateway's 4xx or 500 page will not change by asking again.
          const transient = gatewayStatus === undefined || [502, 503, 504].includes(gatewayStatus);
          if (attempt >= maxRetries || !safeToRepeat(spec) || !transient) throw lost;
          await sleep(backoffMs(attempt, undefined, maxDelayMs), call.signal);
          continue;
        }
        const error = outcome.error;
        const retryable =
          (error.code === 'concurrent-update' || (error.status === 503 && safeToRepeat(spec))) &&
          attempt < maxRetries;
        if (!retryable) throw error;
        await sleep(backoffMs(attempt, error.retryAfterSeconds, maxDelayMs), call.signal);
      }
    },
  };
}

type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'problem'; error: CardVaultProblem }
  | { kind: 'lost'; error: Lost };

/** One request and its whole answer, within `timeoutMs`; the caller's abort is rethrown as is. */
async function attemptOnce(
  doFetch: typeof fetch,
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal | undefined;
    timeoutMs: number;
  },
): Promise<Outcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, init.timeoutMs);
  const onAbort = () => controller.abort(init.signal?.reason);
  init.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (init.signal?.aborted) throw init.signal.reason;
    const response = await doFetch(url, {
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: controller.signal,
    });
    const text = await response.text();
    if (response.ok)
      return { kind: 'ok', body: response.status === 204 || text === '' ? undefined : JSON.parse(text) };
    const problem = problemOf(text);
    if (!problem) {
      // Not the vault's own answer (a gateway's HTML error page, a proxy): the vault was not reached.
      const reason = `${response.status} ${response.statusText || 'HTTP error'} without a problem document`;
      return { kind: 'lost', error: new CardVaultConnectionError(reason, response.status) };
    }
    return {
      kind: 'problem',
      error: new CardVaultProblem(problem, retryAfterSeconds(response.headers.get('retry-after'))),
    };
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    if (timedOut) return { kind: 'lost', error: new CardVaultTimeoutError(init.timeoutMs, { cause: error }) };
    if (error instanceof SyntaxError) throw error;
    const detail = error instanceof Error ? (causeMessage(error) ?? error.message) : String(error);
    return {
      kind: 'lost',
      error: new CardVaultConnectionError(`no answer from the vault: ${detail}`, undefined, { cause: error }),
    };
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', onAbort);
  }
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND...) is its cause. */
function causeMessage(error: Error): string | undefined {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as { code?: string }).code ?? cause.message;
  return undefined;
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

function problemOf(text: string): Problem | undefined {
  try {
    const body = JSON.parse(text) as Problem;
    if (typeof body.type === 'string' && typeof body.status === 'number') return body;
  } catch {}
  return undefined;
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
