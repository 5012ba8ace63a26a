import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { UnauthorizedError } from '../domain/errors.js';
import type { Logger } from '../ports/logger.js';
import type { TenantService } from '../services/tenant-service.js';
import type { AppEnv, routeApp } from './env.js';
import type { PageModule } from './pages/page-context.js';
import { DEPENDENCY_UNAVAILABLE_DETAIL, errorToProblem, problemResponse, routeOf } from './problem.js';
import { type RateLimits, tenantRateLimit } from './rate-limit.js';
import { json, unsecuredProblems } from './schemas.js';
import * as z from './zod.js';

/** 500 cards of 128-character codes with PINs fit well under this; anything larger is refused unread. */
export const MAX_BODY_BYTES = 256 * 1024;

export type RouteModule = ReturnType<typeof routeApp>;

export interface AppDeps {
  readonly tenants: Pick<TenantService, 'authorize'>;
  /** Every `/v1` request, once authenticated, takes a token of its tenant's bucket (rate-limit.ts). */
  readonly limits: RateLimits;
  readonly logger: Logger;
  /** The route modules this app serves: all of them locally; a privilege slice in each Lambda. */
  readonly modules: readonly RouteModule[];
  /** The hosted link pages this app serves (`/links/...`, no API key: the token is the credential). */
  readonly pages?: readonly PageModule[];
  /**
   * Operations another function serves behind the same API (deposit, reveal): in this app's
   * `/openapi.json`, not served here. In AWS the api function answers `/openapi.json` for the
   * whole API, so without them the published contract would lack the privileged routes.
   */
  readonly documentedElsewhere?: readonly RouteConfig[];
  /** Probes of what the vault cannot work without, for `/health` (each cached by its probe). */
  readonly health?: Readonly<Record<string, () => Promise<'up' | 'down'>>>;
}

/**
 * Builds the HTTP app: auth, limits, problem+json for every error, the OpenAPI document.
 * Used as is by @hono/node-server locally and by hono/aws-lambda in each function.
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    // Names this occurrence in a problem's `instance` and in the log line below, so an operator
    // can find what a marketplace quotes; the path cannot serve (it may hold a pasted code).
    c.set('requestId', crypto.randomUUID());
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    // Answered before the body was read (no key, no route, too large): whatever of it is still
    // in flight would be parsed as the next request, so the connection must not be reused.
    if (hasBody(c.req.raw) && !c.req.raw.bodyUsed) c.header('Connection', 'close');
    // The route pattern, status and time only: paths and bodies may carry codes.
    deps.logger.info(
      {
        method: c.req.method,
        route: routeOf(c),
        requestId: c.get('requestId'),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        return problemResponse(c, 'payload-too-large', `the body must be at most ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    security: [],
    tags: ['Operations'],
    summary: 'Is the vault up?',
    description:
      'Probes the database (a cheap call, cached briefly). 200 when every dependency is up; 503 ' +
      '`dependency-unavailable` with the state of each when one is down. No API key.',
    responses: {
      200: json(
        z
          .object({ status: z.literal('ok'), checks: z.record(z.string(), z.literal('up')).optional() })
          .openapi('Health'),
        'Every dependency is up',
      ),
      ...unsecuredProblems(),
    },
  });
  app.get('/health', async (c) => {
    const probes = Object.entries(deps.health ?? {});
    const states = await Promise.all(probes.map(async ([name, probe]) => [name, await probe()] as const));
    const checks = Object.fromEntries(states);
    if (states.some(([, state]) => state === 'down')) {
      return problemResponse(c, 'dependency-unavailable', DEPENDENCY_UNAVAILABLE_DETAIL, { checks });
    }
    return c.json({ status: 'ok', ...(probes.length > 0 ? { checks } : {}) });
  });

  app.use('/v1/*', async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('send Authorization: Bearer <api key>');
    const principal = await deps.tenants.authorize(match[1]);
    c.set('principal', principal);
    c.set('tenantId', principal.tenantId);
    await next();
  });
  app.use('/v1/*', tenantRateLimit(deps.limits));

  for (const module of deps.modules) app.route('/v1', module);
  // Not API operations (HTML for people, not in /openapi.json): see shared/http/pages/.
  for (const page of deps.pages ?? []) app.route('/', page);
  for (const { middleware: _, ...route } of deps.documentedElsewhere ?? []) {
    app.openAPIRegistry.registerPath({ ...route, path: `/v1${route.path}` });
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A tenant (marketplace) API key. Each operation lists the scopes that will do, one of them ' +
      'enough (see the `ApiScope` schema); without one the answer is `403 insufficient-scope`.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'card-vault',
      version: '1.0.0',
      description:
        'A vault for electronic-card codes sold on second-hand marketplaces. Sellers deposit codes, ' +
        'the vault checks them unused with the issuer and keeps them sealed until the buyer has ' +
        'paid into escrow; the buyer reveals them once. Every error is an RFC 9457 problem ' +
        '(`application/problem+json`) whose `type` ends in a stable code; each operation lists ' +
        'the codes it may answer. `409 concurrent-update` and `503 dependency-unavailable` carry ' +
        '`Retry-After`: send the same request (with the same Idempotency-Key) again after it. ' +
        'Each tenant has a token bucket (`TENANT_RATE_PER_SECOND`, `TENANT_BURST`) that every ' +
        '`/v1` request draws on once its API key has matched: every such answer carries the ' +
        '`RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers), and ' +
        'over it the answer is `429 rate-limited` with `Retry-After`, the seconds until a token is back.',
      license: { name: 'Proprietary', url: 'https://card-vault.example/license' },
    },
    // The document is served from the API's own root, locally and behind API Gateway alike.
    servers: [{ url: '/', description: 'The vault that served this document' }],
    tags: [
      { name: 'Listings', description: "A seller's offers" },
      { name: 'Cards', description: 'Depositing and withdrawing codes (the deposit function in AWS)' },
      { name: 'Orders', description: 'From reservation to payment, confirmation and the audit trail' },
      {
        name: 'Reveal and report',
        description: 'The only operations that open codes (the reveal function in AWS)',
      },
      { name: 'Disputes', description: "The marketplace's dispute desk" },
      { name: 'Parties', description: 'Seller standing and buyer credit' },
      {
        name: 'Webhooks',
        description: 'Where the vault sends signed events about orders, reports and sellers',
      },
      {
        name: 'Hosted links',
        description:
          'Links to the vault’s own reveal and deposit pages (`/links/{token}`, HTML, not in this ' +
          'document), so a code goes from the person straight to the vault',
      },
      { name: 'API keys', description: "The tenant's own keys and their scopes" },
      { name: 'Operations', description: 'Health' },
    ],
  });

  app.notFound((c) => problemResponse(c, 'not-found', `no route matches this ${c.req.method} request`));
  app.onError((error, c) => errorToProblem(error, c, deps.logger));
  return app;
}

function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  return request.headers.has('transfer-encoding') || (length !== null && length !== '0');
}
