import { createRoute } from '@hono/zod-openapi';
import { ValidationError } from '../../domain/errors.js';
import {
  DEFAULT_LINK_SECONDS,
  linkConfirms,
  linkKinds,
  MAX_LINK_SECONDS,
  PIN_TRIES,
} from '../../domain/link.js';
import type { LinkRow } from '../../ports/link-store.js';
import type { IssuedLink, LinkService } from '../../services/link-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  externalId,
  idParams,
  inputProblems,
  json,
  jsonBody,
  problems,
  timestamp,
  vaultId,
} from '../schemas.js';
import { needs, reads } from '../scopes.js';
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
  confirm: z
    .enum(linkConfirms)
    .optional()
    .openapi({ description: 'As asked: `pin` when the page asks for a PIN' }),
  pin: z
    .string()
    .regex(/^[0-9]{6}$/)
    .optional()
    .openapi({
      description:
        'With `confirm: "pin"` only: the 6-digit PIN the page asks for, shown once here (kept only as a MAC ' +
        'under the vault’s link key). Show it to the buyer in your own app, never with the url.',
    }),
}).openapi('IssuedLink');

const MIN_LINK_SECONDS = 60;

/**
 * The page puts the logo's origin in its CSP `img-src`: a `;` would add a directive
 * (`https://a.example;sandbox/x.png`), a `*` would open it to every host, a space or a comma would
 * add a source. Host labels of letters, digits and hyphens, a path of unreserved characters.
 */
const LOGO_URL =
  /^https:\/\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\/[A-Za-z0-9\-._~/%]*$/;

const linkOptions = (kind: keyof typeof DEFAULT_LINK_SECONDS) => ({
  expiresInSeconds: z
    .number()
    .int()
    .min(MIN_LINK_SECONDS)
    .max(MAX_LINK_SECONDS)
    .optional()
    .openapi({ description: `Lifetime of the link in seconds; default ${DEFAULT_LINK_SECONDS[kind]}` }),
  logoUrl: z
    .string()
    .max(500)
    .regex(LOGO_URL, 'must be https:// then a host name (letters, digits, dots, hyphens) and a path')
    .optional()
    .openapi({
      description:
        "An https logo on the marketplace's own origin, shown on the page: `https://`, a host " +
        'name (letters, digits, dots, hyphens; no port, no credentials) and a path (letters, ' +
        'digits and `-._~/%`); no query, fragment or anything else',
    }),
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
      z
        .strictObject({
          buyerId: externalId,
          ...linkOptions('reveal'),
          confirm: z
            .enum(linkConfirms)
            .optional()
            .openapi({
              description:
                '`pin`: the answer carries a 6-digit `pin`, shown once, and the page asks for it before ' +
                `revealing or showing the code again; ${PIN_TRIES} wrong PINs lock the link (a \`link.locked\` ` +
                'webhook). A mail or chat scanner that opens the link or presses its button, or whoever holds a ' +
                'forwarded url, then reveals nothing. Absent: the button alone, as before.',
            }),
        })
        .openapi('CreateRevealLink'),
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

const LinkRowSchema = LinkSchema.extend({
  subjectId: z.string().openapi({ description: 'the order (reveal) or listing (deposit) it opens' }),
  createdByKeyId: z.string().optional().openapi({ description: 'the API key that made it' }),
}).openapi('LinkRow');

const listLinks = createRoute({
  method: 'get',
  path: '/links',
  operationId: 'listLinks',
  tags: ['Hosted links'],
  summary: "The tenant's hosted links (never a url)",
  description:
    'Oldest first. Filters: `orderId` or `listingId` (what it opens), `keyId` (the API key that ' +
    'made it), `active` (`true`: unrevoked and unexpired; `false`: the others). A page may hold ' +
    'fewer rows than `limit` (even none) when filters skip many: follow `nextCursor` until absent.',
  ...reads('orders', 'listings'),
  request: {
    query: z.object({
      orderId: vaultId('ord').optional(),
      listingId: vaultId('lst').optional(),
      keyId: z
        .string()
        .regex(/^[a-f0-9]{16}$/, 'must be a key id (16 hex digits)')
        .optional(),
      active: z.enum(['true', 'false']).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: vaultId('lnk').optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ links: z.array(LinkRowSchema), nextCursor: z.string().optional() }).openapi('LinkList'),
      'A page of links',
    ),
    ...problems(inputProblems),
  },
});

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

function linkView(link: LinkRow): z.infer<typeof LinkSchema> {
  return {
    linkId: link.linkId,
    kind: link.kind,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    ...(link.revokedAt ? { revokedAt: link.revokedAt } : {}),
  };
}

/** A listed link: the link's own view, with what it opens and the key that made it. */
function rowView(row: LinkRow): z.infer<typeof LinkRowSchema> {
  return {
    ...linkView(row),
    subjectId: row.subjectId,
    ...(row.createdByKeyId ? { createdByKeyId: row.createdByKeyId } : {}),
  };
}

function issuedView(issued: IssuedLink, origin: string): z.infer<typeof IssuedLinkSchema> {
  return {
    ...linkView(issued.link),
    url: `${origin}${LINK_PAGE_PREFIX}/${issued.token}`,
    ...(issued.link.confirm ? { confirm: issued.link.confirm } : {}),
    ...(issued.pin === undefined ? {} : { pin: issued.pin }),
  };
}

/** Creating, reading and revoking hosted links: no code passes here (the api function in AWS). */
export function linkRoutes(links: LinkService) {
  return routeApp()
    .openapi(revealLink, async (c) => {
      const { buyerId, ...options } = c.req.valid('json');
      const orderId = c.req.valid('param').orderId;
      const issued = await links.createRevealLink(tenantOf(c), orderId, buyerId, {
        ...options,
        createdByKeyId: c.get('principal').keyId,
      });
      c.header('Cache-Control', 'no-store');
      return c.json(issuedView(issued, new URL(c.req.url).origin), 201);
    })
    .openapi(depositLink, async (c) => {
      const { sellerId, ...options } = c.req.valid('json');
      const listingId = c.req.valid('param').listingId;
      const issued = await links.createDepositLink(tenantOf(c), listingId, sellerId, {
        ...options,
        createdByKeyId: c.get('principal').keyId,
      });
      c.header('Cache-Control', 'no-store');
      return c.json(issuedView(issued, new URL(c.req.url).origin), 201);
    })
    .openapi(listLinks, async (c) => {
      const { orderId, listingId, keyId, active, limit, cursor } = c.req.valid('query');
      if (orderId && listingId) {
        throw new ValidationError('give orderId or listingId, not both', {
          errors: [{ path: 'listingId', message: 'must not come with orderId' }],
        });
      }
      const subjectId = orderId ?? listingId;
      const page = await links.list(
        tenantOf(c),
        {
          ...(subjectId ? { subjectId } : {}),
          ...(keyId ? { createdByKeyId: keyId } : {}),
          ...(active ? { active: active === 'true' } : {}),
        },
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return c.json(
        { links: page.items.map(rowView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) },
        200,
      );
    })
    .openapi(getLink, async (c) => {
      return c.json(linkView(await links.get(tenantOf(c), c.req.valid('param').linkId)), 200);
    })
    .openapi(revoke, async (c) => {
      return c.json(linkView(await links.revoke(tenantOf(c), c.req.valid('param').linkId)), 200);
    });
}
