/**
 * What the Lambda bundles use in place of `@hono/zod-openapi` (infra/bundling.ts aliases the
 * package to this file): the same request validation, without the OpenAPI generator. The
 * generator and zod's `z` object it extends weigh ~480 KB of minified code, parsed at every cold
 * start for a document only `GET /openapi.json` needs; that document is built at synth by the
 * real library instead (functions/openapi-document.ts) and carried by the one bundle that serves it.
 *
 * It covers what our routes use and refuses the rest when a route is registered (so a new kind
 * of route fails the bundle tests, never a request): `createRoute`, `OpenAPIHono` with
 * `defaultHook`, `.openapi(route, handler, hook?)` validating query, params, headers and a
 * required JSON body in @hono/zod-openapi 1.x's order and with its answers (415 before JSON,
 * `hono/validator` for the body), `.doc31()` and the registry calls `createApp` makes. The bundle
 * tests hold it to the library: the same bad requests get the same problems bundled and locally.
 */

import { gunzipSync } from 'node:zlib';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';

/** The HTTP layer's schema builders in the bundles (shared/http/zod.ts takes them from here). */
export { z } from './lazy-zod.js';

/**
 * The whole API's document, gzipped and base64-encoded (a CLI argument, see infra/bundling.ts),
 * defined at bundle time for the function that serves it.
 */
declare const CARD_VAULT_OPENAPI_DOCUMENT: string | undefined;

type Target = 'query' | 'param' | 'header' | 'json';

interface Schema {
  safeParseAsync(value: unknown): Promise<{ success: boolean; data?: unknown; error?: unknown }>;
  shape?: Record<string, unknown>;
}

interface BodyContent {
  readonly [mediaType: string]: { readonly schema?: unknown } | undefined;
}

interface LiteRoute {
  readonly method: string;
  readonly path: string;
  readonly middleware?: MiddlewareHandler | MiddlewareHandler[];
  readonly request?: {
    readonly query?: Schema;
    readonly params?: Schema;
    readonly headers?: Schema;
    readonly cookies?: unknown;
    readonly body?: { readonly required?: boolean; readonly content?: BodyContent };
  };
}

type HookResult = { success: boolean; data: unknown; target: Target; error?: unknown };
type Hook = (result: HookResult, c: Context) => unknown;

export const createRoute = <R>(route: R): R => route;

export class OpenAPIHono extends Hono {
  readonly defaultHook: Hook | undefined;
  /** `createApp` registers operations and components for the document; nothing is generated here. */
  readonly openAPIRegistry = { registerPath() {}, registerComponent() {}, register() {} };
  #parentApp: OpenAPIHono | undefined;

  constructor(init?: { defaultHook?: Hook }) {
    super();
    this.defaultHook = init?.defaultHook;
  }

  #resolveDefaultHook(): Hook | undefined {
    const seen = new Set<OpenAPIHono>([this]);
    let app: OpenAPIHono | undefined = this;
    while (app) {
      if (app.defaultHook) return app.defaultHook;
      seen.add(app);
      app = app.#parentApp && !seen.has(app.#parentApp) ? app.#parentApp : undefined;
    }
    return undefined;
  }

  openapi = (route: LiteRoute, handler: MiddlewareHandler, hook?: Hook): this => {
    const effectiveHook: Hook = hook ?? ((result, c) => this.#resolveDefaultHook()?.(result, c));
    const { request } = route;
    const validators: MiddlewareHandler[] = [];
    if (request?.query) validators.push(zodValidator('query', request.query, effectiveHook));
    if (request?.params) validators.push(zodValidator('param', request.params, effectiveHook));
    if (request?.headers) validators.push(zodValidator('header', request.headers, effectiveHook));
    if (request?.cookies) unsupported(route, 'cookie parameters');
    const content = request?.body?.content;
    if (content) {
      const mediaTypes = Object.keys(content);
      const schema = content['application/json']?.schema;
      if (mediaTypes.length !== 1 || !isSchema(schema)) unsupported(route, 'a body other than JSON');
      if (request?.body?.required !== true) unsupported(route, 'an optional body');
      validators.push(jsonMediaTypeGate, zodValidator('json', schema, effectiveHook));
    }
    const middleware = route.middleware === undefined ? [] : [route.middleware].flat();
    const path = route.path.replaceAll(/\/{(.+?)}/g, '/:$1');
    (this.on as (method: string, path: string, ...handlers: MiddlewareHandler[]) => unknown)(
      route.method.toUpperCase(),
      path,
      ...middleware,
      ...validators,
      handler,
    );
    return this;
  };

  /** Serves the synth-time document if this bundle carries one; the other functions serve none. */
  doc31 = (path: string): this => {
    if (typeof CARD_VAULT_OPENAPI_DOCUMENT === 'string') {
      const packed = CARD_VAULT_OPENAPI_DOCUMENT;
      let document: unknown;
      // Unpacked at the first request, not at cold start.
      this.get(path, (c) => {
        document ??= JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString());
        return c.json(document);
      });
    }
    return this;
  };

  // biome-ignore lint/suspicious/noExplicitAny: Hono's own signature, narrowed by its overloads.
  override route(path: string, app: any): any {
    super.route(path, app);
    if (app instanceof OpenAPIHono) app.#parentApp ??= this;
    return this;
  }
}

function unsupported(route: LiteRoute, what: string): never {
  throw new Error(
    `${route.method.toUpperCase()} ${route.path}: ${what} is not supported by openapi-lite (the Lambda bundles' @hono/zod-openapi); extend it, and the bundle tests, first`,
  );
}

function isSchema(x: unknown): x is Schema {
  return typeof (x as Schema | undefined)?.safeParseAsync === 'function';
}

/** @hono/zod-validator's validation, with the route's hook deciding the answer. */
function zodValidator(target: Target, schema: Schema, hook: Hook): MiddlewareHandler {
  // Header names arrive lower-cased; the schema's keys keep their case.
  const headerKeys =
    target === 'header' && schema.shape
      ? new Map(Object.keys(schema.shape).map((key) => [key.toLowerCase(), key]))
      : undefined;
  return validator(target, async (value: Record<string, unknown>, c) => {
    const input = headerKeys
      ? Object.fromEntries(Object.entries(value).map(([key, v]) => [headerKeys.get(key) ?? key, v]))
      : value;
    const result = await schema.safeParseAsync(input);
    const hookResult = await hook({ data: input, ...result, target } as HookResult, c);
    if (hookResult instanceof Response) return hookResult;
    if (hookResult && typeof hookResult === 'object' && 'response' in hookResult) {
      return (hookResult as { response: Response }).response;
    }
    if (!result.success) return c.json(result, 400);
    return result.data;
  });
}

const JSON_REQUEST = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/** A JSON body route refuses other media types, and a body without a Content-Type, with a 415. */
const jsonMediaTypeGate: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header('content-type');
  if (contentType ? !JSON_REQUEST.test(contentType) : await hasRequestBody(c)) {
    throw new HTTPException(415, { message: 'Unsupported Media Type' });
  }
  await next();
};

async function hasRequestBody(c: Context): Promise<boolean> {
  const raw = c.req.raw;
  if (raw.body === null) return false;
  if (raw.bodyUsed) return (await c.req.arrayBuffer()).byteLength > 0;
  const body = raw.clone().body;
  if (body === null) return false;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
