import type { MiddlewareHandler } from 'hono';
import { type ApiScope, missingScope } from '../domain/api-key.js';
import { InsufficientScopeError } from '../domain/errors.js';
import type { AppEnv } from './env.js';

/**
 * What a route needs of its API key, declared once on the route: the middleware that refuses a
 * key without it (`403 insufficient-scope` naming the scope) and the document's `security`, one
 * alternative per scope that will do (OpenAPI 3.1 lets a bearer scheme list role names).
 */
export function needs(...anyOf: [ApiScope, ...ApiScope[]]) {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    const missing = missingScope(c.get('principal').scopes, anyOf);
    if (missing) {
      const others = anyOf.filter((scope) => scope !== missing);
      const also = others.length > 0 ? ` (or ${others.map((s) => `\`${s}\``).join(', ')})` : '';
      throw new InsufficientScopeError(`this call needs an API key with the \`${missing}\` scope${also}`, {
        scope: missing,
      });
    }
    await next();
  };
  return { security: anyOf.map((scope) => ({ Bearer: [scope] })), middleware: guard };
}

/** A GET: every `read` key may, and so may a key of the area it reads. */
export const reads = (...areas: ApiScope[]) => needs('read', ...areas);
