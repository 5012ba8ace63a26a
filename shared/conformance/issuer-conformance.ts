import { randomUUID } from 'node:crypto';
import { HttpIssuer } from '../adapters/issuer/http-issuer.js';
import { authHeaders } from '../adapters/issuer/issuer-request-auth.js';
import { retryAfterMs } from '../adapters/issuer/retry-after.js';
import type { Brand } from '../domain/brand.js';
import { DependencyProtocolError } from '../domain/errors.js';
import type { IssuerAnswerKey } from '../domain/issuer-answer.js';
import type { IssuerAuth } from '../domain/issuer-auth.js';
import type { IssuerCheck } from '../domain/issuer-check.js';
import { SANDBOX_CODES, type SandboxCase } from '../domain/issuer-sandbox.js';

/** What the kit needs to act as the vault towards a bridge's sandbox. */
export interface ConformanceOptions {
  readonly url: string;
  readonly brand: string;
  /** The vault's credentials for the bridge, with the secret's value (never a reference here). */
  readonly auth?:
    | { readonly kind: 'hmac'; readonly keyId: string; readonly secret: string }
    | { readonly kind: 'bearer'; readonly secret: string };
  /** The bridge's answer keys: every answer must then be signed by one of them. */
  readonly answerKeys?: readonly IssuerAnswerKey[];
  /** The vault's per-attempt timeout, which the slow code must exceed. Default 2000 ms. */
  readonly timeoutMs?: number;
}

/** One row of the kit's table: `skip` when the case needs an option that was not given. */
export interface ConformanceRow {
  readonly name: string;
  readonly code?: string;
  readonly result: 'pass' | 'fail' | 'skip';
  readonly reason: string;
}

type Verdict = { readonly result: ConformanceRow['result']; readonly reason: string };
const pass = (reason = ''): Verdict => ({ result: 'pass', reason });
const fail = (reason: string): Verdict => ({ result: 'fail', reason });

/** The answer cases: what the vault must be able to read from the bridge for each magic code. */
const ANSWER_CASES: ReadonlyArray<{
  readonly name: string;
  readonly code: SandboxCase;
  readonly expect: (check: IssuerCheck) => string | undefined;
}> = [
  {
    name: 'active with a balance',
    code: 'active',
    expect: (c) =>
      c.state !== 'active'
        ? `state ${c.state}, expected active`
        : !c.balance || c.balance.amount <= 0
          ? 'no positive balance'
          : c.redeemedAt
            ? 'an active card has a redeemedAt'
            : undefined,
  },
  {
    name: 'partly spent, with lastUsedAt',
    code: 'partlySpent',
    expect: (c) =>
      c.state !== 'active'
        ? `state ${c.state}, expected active`
        : !c.balance
          ? 'no balance'
          : !c.lastUsedAt
            ? 'no lastUsedAt'
            : undefined,
  },
  {
    name: 'redeemed, with a time',
    code: 'redeemed',
    expect: (c) =>
      c.state !== 'redeemed'
        ? `state ${c.state}, expected redeemed`
        : !c.redeemedAt
          ? 'no redeemedAt'
          : undefined,
  },
  {
    name: 'redeemed, without a time',
    code: 'redeemedNoTime',
    expect: (c) =>
      c.state !== 'redeemed'
        ? `state ${c.state}, expected redeemed`
        : c.redeemedAt
          ? 'a redeemedAt, expected none'
          : undefined,
  },
  {
    name: 'invalid',
    code: 'invalid',
    expect: (c) => (c.state !== 'invalid' ? `state ${c.state}, expected invalid` : undefined),
  },
];

/**
 * Runs the protocol's cases (docs/issuer-protocol.md "Conformance kit") against a bridge's
 * sandbox, one after another, and answers a row per case. Answers are read by the vault's own
 * adapter (`HttpIssuer`, no retry), so a passing row is an answer the vault accepts.
 */
export async function runIssuerConformance(options: ConformanceOptions): Promise<ConformanceRow[]> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const base = options.url.replace(/\/+$/, '');
  const auth: IssuerAuth =
    options.auth === undefined
      ? { kind: 'none' }
      : options.auth.kind === 'hmac'
        ? { kind: 'hmac', keyId: options.auth.keyId, secretRef: 'conformance' }
        : { kind: 'bearer', secretRef: 'conformance' };
  const keys = options.answerKeys ?? [];
  const brand: Brand = {
    brand: options.brand,
    issuerUrl: base,
    codePattern: '.*',
    auth,
    ...(keys.length > 0 && { answerKeys: keys, requireSignedAnswers: true }),
    createdAt: new Date().toISOString(),
  };
  const secret = options.auth?.secret;
  // Each case gets an adapter of its own: one case's failures never open another's circuit.
  const vault = () =>
    new HttpIssuer({
      mode: new URL(base).protocol === 'http:' ? 'local' : 'aws',
      secrets: { get: async () => secret ?? '' },
      retries: 0,
      timeoutMs,
      maxRetryAfterMs: 0,
    });
  const ask = (code: SandboxCase) =>
    vault().check(brand, { code: SANDBOX_CODES[code] }, { purpose: 'deposit' });
  /** One request as the vault sends it, for the cases whose status and headers are the point. */
  const raw = async (code: SandboxCase, signed = true) => {
    const body = JSON.stringify({
      brand: options.brand,
      code: SANDBOX_CODES[code],
      requestId: randomUUID(),
      purpose: 'deposit',
    });
    const started = Date.now();
    const response = await fetch(`${base}/check`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(signed && authHeaders(auth, secret, body, Math.floor(Date.now() / 1000))),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return { response, ms: Date.now() - started };
  };

  const rows: ConformanceRow[] = [];
  const run = async (name: string, code: SandboxCase | undefined, verdict: () => Promise<Verdict>) => {
    let outcome: Verdict;
    try {
      outcome = await verdict();
    } catch (error) {
      outcome = fail(describe(error));
    }
    rows.push({ name, ...(code !== undefined && { code: SANDBOX_CODES[code] }), ...outcome });
  };

  for (const c of ANSWER_CASES) {
    await run(c.name, c.code, async () => {
      const problem = c.expect(await ask(c.code));
      return problem === undefined ? pass(keys.length > 0 ? 'signature verified' : '') : fail(problem);
    });
  }
  await run(`slow, past the ${timeoutMs} ms timeout`, 'slow', async () => {
    try {
      const { ms } = await raw('slow');
      return fail(`answered in ${ms} ms, within the timeout`);
    } catch (error) {
      return (error as Error).name === 'TimeoutError' ? pass('no answer in time') : fail(describe(error));
    }
  });
  await run('429 with Retry-After', 'throttled', async () => {
    const { response } = await raw('throttled');
    if (response.status !== 429) return fail(`HTTP ${response.status}, expected 429`);
    const header = response.headers.get('retry-after');
    if (header === null) return fail('no Retry-After');
    return retryAfterMs(header, Date.now()) === undefined
      ? fail('Retry-After is neither seconds nor a date')
      : pass();
  });
  await run('5xx', 'serverError', async () => {
    const { response } = await raw('serverError');
    return response.status >= 500 && response.status <= 599
      ? pass()
      : fail(`HTTP ${response.status}, expected 5xx`);
  });
  await run('bad signature, refused', 'badSignature', async () => {
    if (keys.length === 0) return { result: 'skip', reason: 'no --answer-key: answers are not checked' };
    try {
      await ask('badSignature');
      return fail('the answer verified: the sandbox must sign this one wrongly');
    } catch (error) {
      return error instanceof DependencyProtocolError && /bad answer signature/.test(error.message)
        ? pass()
        : fail(describe(error));
    }
  });
  await run('an unauthenticated check refused (401)', 'active', async () => {
    if (options.auth === undefined) return { result: 'skip', reason: 'no --auth given' };
    const { response } = await raw('active', false);
    return response.status === 401 ? pass() : fail(`HTTP ${response.status}, expected 401`);
  });
  return rows;
}

/** The adapter's message names the brand and the failure, never the code or a secret. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.replace(/^issuer for brand \S+ /, '');
}
