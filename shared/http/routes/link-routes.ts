import { createRoute } from '@hono/zod-openapi';
import { DEFAULT_LINK_SECONDS, type Link, linkKinds, MAX_LINK_SECONDS } from '../../domain/link.js';
import type { IssuedLink, LinkService } from '../../services/link-service.js';
import { routeApp, tenantOf } from '../env.js';
import { needs, reads } from '../scopes.js';
import {
  bodyProblems,
  externalId,
  idParams,
  inputProblems,
  json,
  jsonBody,
  problems,
  timestamp,
} from '../schemas.js';
import * as z from '../zod.js';

/** Where a link's page lives: `/links/{token}` on the vault's own origin. */
export const LINK_PAGE_PREFIX = '/links';

const LinkSchema = z
  .object({
    linkId: z.string(),
    kind: z.enum(linkKinds),
    createdAt: timestamp(),
    expiresAt: timestamp(),
    revokedAt: timestamp().optional(),
  })
  .openapi('Link');

const IssuedLinkSchema = LinkSchema.extend({
  url: z.string().openapi({
    format: 'uri',
    description: 'The page to send the person to. Shown once: only its token’s SHA-256 is kept.',
  }),
}).openapi('IssuedLink');

const MIN_LINK_SECONDS = 60;

const linkOptions = (kind: keyof typeof DEFAULT_LINK_SECONDS) => ({
  expiresInSeconds: z
    .number()
    .int()
    .min(MIN_LINK_SECONDS)
    .max(MAX_LINK_SECONDS)
    .optional()
    .openapi({ description: `Lifetime of the link in seconds; default ${DEFAULT_LINK_SECONDS[kind]}` }),
  logoUrl: z
    .url({ protocol: /^https$/ })
    .max(500)
    .optional()
    .openapi({ description: "An https logo on the marketplace's own origin, shown on the page" }),
});

const issuedResponse = {
  ...json(IssuedLinkSchema, 'The link, with its url (shown once; Cache-Control: no-store)'),
  headers: z.object({ 'Cache-Control': z.literal('no-store') }),
};

const revealLink = createRoute({
  method: 'post',
  path: '/orders/{orderId}/reveal-links',
  operationId: 'createRevealLink',
  tags: ['Hosted links'],
  summary: "A hosted reveal page for the order's buyer",
  description:
    'Opening the link (by anyone, any number of times, link previews included) shows the order ' +
    'and a "Reveal code" button, never the code; the button reveals through the same single-use ' +
    'reveal as `POST /v1/orders/{orderId}/reveal` (same re-check, same refund of a dead code), ' +
    'recorded on the trail with `channel: hosted_page`. Another buyer, or another tenant’s order: 404.',
  ...needs('orders'),
  request: {
    params: idParams({ orderId: 'ord' }),
    body: jsonBody(
      z.strictObject({ buyerId: externalId, ...linkOptions('reveal') }).openapi('CreateRevealLink'),
    ),
  },
  responses: { 201: issuedResponse, ...problems(bodyProblems, 'not-found') },
});

const depositLink = createRoute({
  method: 'post',
  path: '/listings/{listingId}/deposit-links',
  operationId: 'createDepositLink',
  tags: ['Hosted links'],
  summary: "A hosted deposit page for the listing's seller",
  description:
    'Codes pasted or uploaded on the page go through the same deposit as ' +
    '`POST /v1/listings/{listingId}/cards`; the page shows them masked (last 4) only. Another ' +
    'seller, or another tenant’s listing: 404.',
  ...needs('listings'),
  request: {
    params: idParams({ listingId: 'lst' }),
    body: jsonBody(
      z.strictObject({ sellerId: externalId, ...linkOptions('deposit') }).openapi('CreateDepositLink'),
    ),
  },
  responses: { 201: issuedResponse, ...problems(bodyProblems, 'not-found') },
});

const linkParams = idParams({ linkId: 'lnk' });

const getLink = createRoute({
  method: 'get',
  path: '/links/{linkId}',
  operationId: 'getLink',
  tags: ['Hosted links'],
  summary: 'A hosted link (never its url)',
  ...reads('orders', 'listings'),
  request: { params: linkParams },
  responses: { 200: json(LinkSchema, 'The link'), ...problems(inputProblems, 'not-found') },
});

const revoke = createRoute({
  method: 'delete',
  path: '/links/{linkId}',
  operationId: 'revokeLink',
  tags: ['Hosted links'],
  summary: 'Revoke a hosted link',
  description:
    'Its page then opens nothing (the same page as an unknown link), and its forms are refused. ' +
    'Revoking twice is harmless and keeps the first `revokedAt`.',
  ...needs('orders', 'listings'),
  request: { params: linkParams },
  responses: { 200: json(LinkSchema, 'The revoked link'), ...problems(inputProblems, 'not-found') },
});

function linkView(link: Link): z.infer<typeof LinkSchema> {
  return {
    linkId: link.linkId,
    kind: link.kind,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    ...(link.revokedAt ? { revokedAt: link.revokedAt } : {}),
  };
}

function issuedView(issued: IssuedLink, origin: string): z.infer<typeof IssuedLinkSchema> {
  return { ...linkView(issued.link), url: `${origin}${LINK_PAGE_PREFIX}/${issued.token}` };
}

/** Creating, reading and revoking hosted links: no code passes here (the api function in AWS). */
export function linkRoutes(links: LinkService) {
  return routeApp()
    .openapi(revealLink, async (c) => {
      const { buyerId, ...options } = c.req.valid('json');
      const orderId = c.req.valid('param').orderId;
      const issued = await links.createRevealLink(tenantOf(c), orderId, buyerId, options);
      c.header('Cache-Control', 'no-store');
      return c.json(issuedView(issued, new URL(c.req.url).origin), 201);
    })
    .openapi(depositLink, async (c) => {
      const { sellerId, ...options } = c.req.valid('json');
      const listingId = c.req.valid('param').listingId;
      const issued = await links.createDepositLink(tenantOf(c), listingId, sellerId, options);
      c.header('Cache-Control', 'no-store');
      return c.json(issuedView(issued, new URL(c.req.url).origin), 201);
    })
    .openapi(getLink, async (c) => {
      return c.json(linkView(await links.get(tenantOf(c), c.req.valid('param').linkId)), 200);
    })
    .openapi(revoke, async (c) => {
      return c.json(linkView(await links.revoke(tenantOf(c), c.req.valid('param').linkId)), 200);
    });
}
