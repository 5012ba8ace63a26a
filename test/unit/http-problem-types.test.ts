import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import * as errors from '../../shared/domain/errors.js';
import { DomainError, domainErrorCodes } from '../../shared/domain/errors.js';
import { DEPENDENCY_UNAVAILABLE_DETAIL, errorToProblem } from '../../shared/http/problem.js';
import { PROBLEM_BASE, type ProblemType, problemTypes } from '../../shared/http/problem-types.js';
import type { Logger } from '../../shared/ports/logger.js';

type ErrorClass = new (message: string) => DomainError;

/** Every concrete DomainError subclass errors.ts exports. */
const errorClasses: Array<[string, ErrorClass]> = Object.entries(errors as Record<string, unknown>).flatMap(
  ([name, value]) =>
    typeof value === 'function' && value.prototype instanceof DomainError
      ? [[name, value as ErrorClass]]
      : [],
);

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

async function answerTo(error: Error) {
  const app = new Hono();
  app.get('/boom', () => {
    throw error;
  });
  app.onError((e, c) => errorToProblem(e, c, silent));
  const res = await app.request('/boom');
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('problemTypes', () => {
  it('finds the domain errors to check', () => {
    expect(errorClasses.length).toBeGreaterThanOrEqual(domainErrorCodes.length);
  });

  it('has a class for every declared domain error code', () => {
    const codes = errorClasses.map(([, Cls]) => new Cls('m').code);
    expect(new Set(codes)).toEqual(new Set(domainErrorCodes));
  });

  it.each(errorClasses)('maps %s to its own problem entry', async (_name, Cls) => {
    const error = new Cls('a safe message');
    const entry: ProblemType = problemTypes[error.code];
    expect(entry).toBeDefined();
    const { status, body, retryAfter } = await answerTo(error);
    expect(status).toBe(entry.status);
    expect(retryAfter).toBe(entry.retryAfterSeconds === undefined ? null : String(entry.retryAfterSeconds));
    if (entry.internal) {
      // An integrity fault answers as a bare `internal`: neither its code nor its message leaves.
      expect(body).toEqual({
        type: `${PROBLEM_BASE}internal`,
        title: problemTypes.internal.title,
        status: 500,
      });
    } else {
      expect(body).toMatchObject({
        type: `${PROBLEM_BASE}${error.code}`,
        title: entry.title,
        status,
        // A dependency's message is for the log; a 503 says one fixed sentence.
        detail: status < 500 ? 'a safe message' : DEPENDENCY_UNAVAILABLE_DETAIL,
      });
    }
  });

  it('tells a client when to retry a transient answer, and only then', () => {
    const transient = Object.entries(problemTypes as Record<string, ProblemType>)
      .filter(([, type]) => type.retryAfterSeconds !== undefined)
      .map(([code]) => code);
    expect(transient.sort()).toEqual([
      'concurrent-update',
      'dependency-unavailable',
      'deposit-budget-exhausted',
    ]);
  });

  it("says how long a locked seller waits: the lock's own Retry-After, not the fallback", async () => {
    const lock = {
      lockedUntil: '2026-01-01T01:00:00.000Z',
      operatorUnlockRequired: false,
      retryAfterSeconds: 1234,
    };
    const { status, body, retryAfter } = await answerTo(errors.DepositBudgetExhaustedError.of(lock));
    expect(status).toBe(429);
    expect(retryAfter).toBe('1234');
    expect(body).toMatchObject({ lockedUntil: lock.lockedUntil, operatorUnlockRequired: false });
  });

  it("keeps a dependency failure's message in the log, out of the problem", async () => {
    const logged: unknown[] = [];
    const logger = { ...silent, error: (fields: unknown) => logged.push(fields) } as Logger;
    const app = new Hono();
    app.get('/boom', () => {
      throw new errors.DependencyUnavailableError('KMS Decrypt failed (KMSInternalException)');
    });
    app.onError((e, c) => errorToProblem(e, c, logger));
    const res = await app.request('/boom');
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain('KMS');
    expect(JSON.stringify(logged)).toContain('KMS Decrypt failed');
  });
});
