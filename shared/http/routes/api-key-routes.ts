import { createRoute } from '@hono/zod-openapi';
import { type ApiKeyRecord, apiScopes, type RevocationEnd, revocationEnds } from '../../domain/api-key.js';
import type { ApiKeyService } from '../../services/api-key-service.js';
import { routeApp, tenantOf } from '../env.js';
import { bodyProblems, freeText, inputProblems, json, jsonBody, problems, timestamp } from '../schemas.js';
import { needs, reads } from '../scopes.js';
import * as z from '../zod.js';

const ScopeSchema = z.enum(apiScopes).openapi('ApiScope', {
  description:
    '`listings`: listings, deposits, withdrawals, deposit links. `orders`: orders, payments, cancel, ' +
    'confirm, reports, reveal links. `reveal`: the API reveal (returns codes). `desk`: escalations, ' +
    'seller reviews, reinstatement, deposit unlocks. `webhooks`: webhook endpoints. `keys`: API keys. ' +
    '`read`: every GET.',
});

/** What every view of a key shows (built as two objects: the bundles' lazy zod has no omit). */
const keyFields = () => ({
  keyId: z.string(),
  scopes: z.array(ScopeSchema),
  description: z.string().optional(),
  createdAt: timestamp(),
});

const ApiKeySchema = z
  .object({
    ...keyFields(),
    lastUsedAt: timestamp()
      .optional()
      .openapi({ description: 'when the key was last used, to about a minute (absent: never)' }),
  })
  .openapi('ApiKey');

const CreatedApiKeySchema = z
  .object({
    ...keyFields(),
    key: z.string().openapi({
      description: 'The key to send as `Authorization: Bearer <key>`. Shown once: only its SHA-256 is kept.',
    }),
  })
  .openapi('CreatedApiKey');

const keyParams = z.object({
  keyId: z
    .string()
    .regex(/^[a-f0-9]{16}$/, 'must be a key id (16 hex digits)')
    .openapi({ param: { name: 'keyId', in: 'path' } }),
});

const create = createRoute({
  method: 'post',
  path: '/api-keys',
  operationId: 'createApiKey',
  tags: ['API keys'],
  summary: 'Make an API key with some scopes',
  description:
    'A key gives no more than it has: asking for a scope the calling key lacks is `403 ' +
    'insufficient-scope`. Several keys may be live at once, so a service moves to a new key ' +
    'before the old one is revoked.',
  ...needs('keys'),
  request: {
    body: jsonBody(
      z
        .strictObject({
          scopes: z.array(ScopeSchema).min(1).max(apiScopes.length),
          description: freeText(200).optional(),
        })
        .openapi('CreateApiKey'),
    ),
  },
  responses: {
    201: {
      ...json(CreatedApiKeySchema, 'The key, with its secret (shown once; Cache-Control: no-store)'),
      headers: z.object({ 'Cache-Control': z.literal('no-store') }),
    },
    ...problems(bodyProblems),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api-keys',
  operationId: 'listApiKeys',
  tags: ['API keys'],
  summary: "The tenant's API keys (never a secret)",
  ...reads('keys'),
  responses: {
    200: json(
      z.object({ keys: z.array(ApiKeySchema) }).openapi('ApiKeyList'),
      'Every live key, oldest first',
    ),
    ...problems(),
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/api-keys/{keyId}',
  operationId: 'revokeApiKey',
  tags: ['API keys'],
  summary: 'Revoke an API key, and what it made',
  description:
    'The key is refused at once by the process that revoked it, and by every other within ' +
    '`API_KEY_CACHE_SECONDS` (30 s by default). `revoke=links,webhook-endpoints` (either or ' +
    'both) also revokes every link the key made that still opens and disables every webhook ' +
    'endpoint it registered, in the same call; the answer lists them, and the tenant’s key ' +
    'trail keeps the line. Another tenant’s key, or an unknown one: 404. A key with a scope the ' +
    'calling key lacks: 403 `insufficient-scope`. The tenant’s last key: 409 `invalid-state` ' +
    '(make its successor first).',
  ...needs('keys'),
  request: {
    params: keyParams,
    query: z.object({
      revoke: z
        .string()
        .regex(
          new RegExp(`^(${revocationEnds.join('|')})(,(${revocationEnds.join('|')}))?$`),
          `must be ${revocationEnds.join(', ')} or both, comma-separated`,
        )
        .optional()
        .openapi({ example: 'links,webhook-endpoints' }),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          keyId: z.string(),
          revokedAt: timestamp(),
          revokedLinks: z.array(z.string()).openapi({ description: 'the links revoked with it' }),
          disabledWebhookEndpoints: z
            .array(z.string())
            .openapi({ description: 'the webhook endpoints disabled with it' }),
        })
        .openapi('ApiKeyRevocation'),
      'The key is revoked',
    ),
    ...problems(inputProblems, 'not-found', 'invalid-state'),
  },
});

function keyView(key: ApiKeyRecord): z.infer<typeof ApiKeySchema> {
  return {
    keyId: key.keyId,
    scopes: [...key.scopes],
    ...(key.description === undefined ? {} : { description: key.description }),
    createdAt: key.createdAt,
    ...(key.lastUsedAt === undefined ? {} : { lastUsedAt: key.lastUsedAt }),
  };
}

/** A tenant's own API keys (the api function in AWS). */
export function apiKeyRoutes(apiKeys: ApiKeyService) {
  return routeApp()
    .openapi(create, async (c) => {
      const { record, apiKey } = await apiKeys.create(c.get('principal'), c.req.valid('json'));
      c.header('Cache-Control', 'no-store');
      const { lastUsedAt: _, ...created } = keyView(record);
      return c.json({ ...created, key: apiKey }, 201);
    })
    .openapi(list, async (c) => {
      return c.json({ keys: (await apiKeys.list(tenantOf(c))).map(keyView) }, 200);
    })
    .openapi(revoke, async (c) => {
      // The pattern above admits only these words.
      const ends = (c.req.valid('query').revoke?.split(',') ?? []) as RevocationEnd[];
      const line = await apiKeys.revoke(c.get('principal'), c.req.valid('param').keyId, ends);
      return c.json(
        {
          keyId: line.keyId,
          revokedAt: line.at,
          revokedLinks: [...line.links],
          disabledWebhookEndpoints: [...line.webhookEndpoints],
        },
        200,
      );
    });
}
