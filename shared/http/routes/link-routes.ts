import { createRoute, z } from '@hono/zod-openapi';
import { type Link, MAX_LINK_SECONDS } from '../../domain/link.js';
import type { IssuedLink, LinkService } from '../../services/link-service.js';
import { bearerSecurity, routeApp, tenantOf } from '../env.js';
import { externalId, idParams, json, jsonBody, problems } from '../schemas.js';

/** Where a link's page lives: `/links/{token}` on the vault's own origin. */
export const LINK_PAGE_PREFIX = '/links';

const LinkSchema = z
  .object({
    linkId: z.string(),
    kind: z.enum(['reveal', 'deposit']),
    expiresAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .openapi('Link');

const IssuedLinkSchema = LinkSchema.extend({
  url: z
    .string()
    .openapi({ description: 'The page to send the person to. Shown once; only its hash is kept.' }),
}).openapi('IssuedLink');

const linkOptions = {
  expiresInSeconds: z.number().int().min(60).max(MAX_LINK_SECONDS).optional().openapi({
    description: 'Lifetime of the link; default 86400 (reveal) or 3600 (deposit)',
  }),
  logoUrl: z
    .url({ protocol: /^https$/ })
    .max(500)
    .optional()
    .openapi({ description: "An https logo on the marketplace's own origin, shown on the page" }),
};

const revealLink = createRoute({
  method: 'post',
  path: '/orders/{orderId}/reveal-links',
  description:
    "A hosted reveal page for the order's buyer: opening it (by anyone, any number of times, " +
    'link previews included) shows the order and a "Reveal code" button, never the code; the ' +
    'button reveals through the same single-use reveal as `POST /orders/{orderId}/reveal`.',
  security: bearerSecurity,
  request: {
    params: idParams({ orderId: 'ord' }),
    body: jsonBody(z.strictObject({ buyerId: externalId, ...linkOptions }).openapi('CreateRevealLink')),
  },
  responses: {
    201: json(IssuedLinkSchema, 'The link, with its url (shown once)'),
    ...problems(400, 401, 404),
  },
});

const depositLink = createRoute({
  method: 'post',
  path: '/listings/{listingId}/deposit-links',
  description:
    "A hosted deposit page for the listing's seller: codes pasted or uploaded there go through " +
    'the same deposit as `POST /listings/{listingId}/cards`; the page shows them masked only.',
  security: bearerSecurity,
  request: {
    params: idParams({ listingId: 'lst' }),
    body: jsonBody(z.strictObject({ sellerId: externalId, ...linkOptions }).openapi('CreateDepositLink')),
  },
  responses: {
    201: json(IssuedLinkSchema, 'The link, with its url (shown once)'),
    ...problems(400, 401, 404),
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/links/{linkId}',
  description: 'Revokes a link: its page then opens nothing. Revoking twice is harmless.',
  security: bearerSecurity,
  request: { params: idParams({ linkId: 'lnk' }) },
  responses: { 200: json(LinkSchema, 'The revoked link'), ...problems(401, 404) },
});

function linkView(link: Link): z.infer<typeof LinkSchema> {
  return {
    linkId: link.linkId,
    kind: link.kind,
    expiresAt: link.expiresAt,
    ...(link.revokedAt ? { revokedAt: link.revokedAt } : {}),
  };
}

function issuedView(issued: IssuedLink, origin: string): z.infer<typeof IssuedLinkSchema> {
  return { ...linkView(issued.link), url: `${origin}${LINK_PAGE_PREFIX}/${issued.token}` };
}

/** Creating and revoking hosted links: no code passes here (the api function in AWS). */
export function linkRoutes(links: LinkService) {
  return routeApp()
    .openapi(revealLink, async (c) => {
      const { buyerId, ...options } = c.req.valid('json');
      const issued = await links.createRevealLink(
        tenantOf(c),
        c.req.valid('param').orderId,
        buyerId,
        options,
      );
      c.header('Cache-Control', 'no-store');
      return c.json(issuedView(issued, new URL(c.req.url).origin), 201);
    })
    .openapi(depositLink, async (c) => {
      const { sellerId, ...options } = c.req.valid('json');
      const issued = await links.createDepositLink(
        tenantOf(c),
        c.req.valid('param').listingId,
        sellerId,
        options,
      );
      c.header('Cache-Control', 'no-store');
      return c.json(issuedView(issued, new URL(c.req.url).origin), 201);
    })
    .openapi(revoke, async (c) => {
      return c.json(linkView(await links.revoke(tenantOf(c), c.req.valid('param').linkId)), 200);
    });
}
