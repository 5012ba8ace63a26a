import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import { PROBLEM_BASE, type ProblemCode, type ProblemType, problemTypes } from './problem-types.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** An RFC 9457 `application/problem+json` response. */
export function problemResponse(
  c: Context,
  code: ProblemCode,
  detail?: string,
  extensions: Record<string, unknown> = {},
  retryAfter?: number,
) {
  const requestId: string | undefined = c.get('requestId');
  const body = problemBody(code, detail, {
    ...(requestId ? { instance: `urn:uuid:${requestId}` } : {}),
    ...extensions,
  });
  c.header('Content-Type', 'application/problem+json');
  c.header('Cache-Control', 'no-store');
  const { retryAfterSeconds }: ProblemType = problemTypes[code];
  const wait = retryAfterSeconds === undefined ? undefined : (retryAfter ?? retryAfterSeconds);
  if (wait !== undefined) c.header('Retry-After', String(wait));
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode);
}

/** The problem document alone, for answers written outside Hono (Node's parser errors). */
export function problemBody(code: ProblemCode, detail?: string, extensions: Record<string, unknown> = {}) {
  const { status, title }: ProblemType = problemTypes[code];
  return {
    type: `${PROBLEM_BASE}${code}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...extensions,
  } satisfies Problem;
}

/**
 * What a 503 says, whatever failed: the dependency's own message ("KMS Decrypt failed (…)",
 * an issuer's URL) is for the log, and the client only needs to know to retry.
 */
export const DEPENDENCY_UNAVAILABLE_DETAIL = 'A service the vault depends on is unavailable; retry later.';

/**
 * The one place errors become responses. Domain errors map by code; Hono's own
 * (malformed JSON, body limit) by status; anything else is a real fault: logged with its
 * stack, answered 500 without one. Error messages never carry card codes by construction.
 */
export function errorToProblem(error: Error, c: Context, logger: Logger) {
  if (error instanceof DomainError) {
    const known: ProblemType = problemTypes[error.code];
    if (known.status < 500) {
      return problemResponse(c, error.code, error.message, error.details, error.retryAfterSeconds);
    }
    if (known.internal) {
      logger.error(
        { err: serializeError(error), route: routeOf(c), requestId: c.get('requestId') },
        'internal fault',
      );
      return problemResponse(c, 'internal');
    }
    logger.error(
      { err: serializeError(error), route: routeOf(c), requestId: c.get('requestId') },
      'dependency failure',
    );
    return problemResponse(c, error.code, DEPENDENCY_UNAVAILABLE_DETAIL);
  }
  if (error instanceof HTTPException) {
    const code = httpExceptionCode(error);
    if (code) return problemResponse(c, code, error.message);
  }
  logger.error(
    { err: serializeError(error), route: routeOf(c), requestId: c.get('requestId') },
    'unhandled error',
  );
  return problemResponse(c, 'internal', 'An internal error occurred; it has been logged.');
}

function httpExceptionCode(error: HTTPException): ProblemCode | undefined {
  switch (error.status) {
    case 400:
      return /json/i.test(error.message) ? 'malformed-json' : 'validation';
    case 401:
      return 'unauthorized';
    case 404:
      return 'not-found';
    case 413:
      return 'payload-too-large';
    case 415:
      return 'unsupported-media-type';
    default:
      return undefined;
  }
}

/** Name, message and stack only: never request bodies or SDK payloads. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error) };
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(error.cause instanceof Error
      ? { cause: { name: error.cause.name, message: error.cause.message } }
      : {}),
  };
}

/**
 * The matched route pattern (`/v1/orders/:orderId/reveal`), never the raw path: a caller may
 * paste a card code into a URL, and neither logs nor problems may echo it back.
 */
export function routeOf(c: Context): string | undefined {
  const pattern = routePath(c, -1);
  // A wildcard is a middleware's pattern: no route matched.
  return pattern === '' || pattern.endsWith('*') ? undefined : pattern;
}
