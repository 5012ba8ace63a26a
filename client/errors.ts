import type { Problem, ProblemCode } from './generated.js';

/**
 * What a call may throw. `CardVaultProblem`: the vault answered with a problem document (RFC
 * 9457). `CardVaultConnectionError`: no answer of the vault arrived (connection refused or
 * reset, DNS, or an answer that is not the vault's, such as a gateway's HTML error page).
 * `CardVaultTimeoutError`: the attempt outlived `timeoutMs`. The last two may have taken effect
 * on the vault: repeat only what is safe to repeat (the client already did, `maxRetries` times).
 */

/**
 * A problem answer. `code` is the last segment of `type`, typed with every code of
 * /openapi.json; the class is not generic, because `instanceof` narrows a generic class to `any`.
 */
export class CardVaultProblem extends Error {
  override readonly name = 'CardVaultProblem';
  readonly code: ProblemCode;
  readonly status: number;

  constructor(
    readonly problem: Problem,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.code = problem.type.replace(/^.*\//, '') as ProblemCode;
    this.status = problem.status;
  }
}

/** A `CardVaultProblem` whose code is known to be `C` (what `isProblem` narrows to). */
export type CardVaultProblemOf<C extends ProblemCode> = CardVaultProblem & { readonly code: C };

/**
 * `isProblem(e, 'out-of-stock')`: is `e` a problem with one of these codes? Narrows `e.code` to
 * them, and a misspelt code does not compile.
 */
export function isProblem<C extends ProblemCode>(
  error: unknown,
  ...codes: C[]
): error is CardVaultProblemOf<C> {
  return error instanceof CardVaultProblem && (codes as ProblemCode[]).includes(error.code);
}

export class CardVaultConnectionError extends Error {
  override readonly name = 'CardVaultConnectionError';

  constructor(
    message: string,
    /** The status of a non-vault answer (a gateway's page), when there was one. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class CardVaultTimeoutError extends Error {
  override readonly name = 'CardVaultTimeoutError';

  constructor(
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`no answer from the vault within ${timeoutMs} ms`, options);
  }
}
