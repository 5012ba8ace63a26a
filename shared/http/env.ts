import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiPrincipal } from '../domain/api-key.js';
import { IdempotencyKeyInvalidError, IdempotencyKeyMissingError, ValidationError } from '../domain/errors.js';
import { validationIssues } from './validation-issues.js';

/** How a problem's detail names the part of the request that failed validation. */
const PARTS: Readonly<Record<string, string>> = {
  json: 'request body',
  form: 'request body',
  query: 'query',
  param: 'path',
  header: 'headers',
};

/** Per-request values set by middleware. */
export type AppEnv = { Variables: { tenantId: string; principal: ApiPrincipal; requestId: string } };

/**
 * A route module's app. Every validation failure has one shape: a `validation` problem that
 * names the fields and why, never echoing the values (a value may be a card code).
 */
export function routeApp() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = validationIssues(result.error.issues);
      const target = 'target' in result ? String(result.target) : 'request';
      if (target === 'header' && errors.some((e) => e.path === 'idempotency-key')) {
        if (c.req.header('idempotency-key') === undefined) {
          throw new IdempotencyKeyMissingError('send an Idempotency-Key header');
        }
        throw new IdempotencyKeyInvalidError('the Idempotency-Key must be 1-255 visible ASCII characters');
      }
      const part = PARTS[target] ?? 'request';
      throw new ValidationError(
        `the ${part} is not valid: ${errors.map((e) => `${e.path || part} ${e.message}`).join('; ')}`,
        { errors },
      );
    },
  });
}

export function tenantOf(c: Context<AppEnv>): string {
  return c.get('tenantId');
}
