import { createRoute } from '@hono/zod-openapi';
import type { EvidenceService } from '../../services/evidence-service.js';
import { routeApp, tenantOf } from '../env.js';
import { evidencePage } from '../pages/evidence-page.js';
import { setPageHeaders } from '../pages/page-security.js';
import { pageLangs } from '../pages/page-text.js';
import { idParams, inputProblems, json, problems } from '../schemas.js';
import { reads } from '../scopes.js';
import { EvidenceKeysSchema, evidenceView, SignedEvidenceSchema } from '../views/evidence-view.js';
import { StripeEvidenceSchema, stripeEvidenceView } from '../views/stripe-evidence-view.js';
import * as z from '../zod.js';

const evidenceFormats = ['bundle', 'stripe'] as const;

/** A browser asks for HTML first; an API client sends `application/json` or nothing. */
function wantsHtml(accept: string | undefined): boolean {
  const first = accept?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('text/html');
}

const evidence = createRoute({
  method: 'get',
  path: '/orders/{orderId}/evidence',
  operationId: 'getOrderEvidence',
  tags: ['Evidence'],
  summary: "An order's signed evidence bundle",
  description:
    'Everything the vault knows of the sale, for a chargeback: the order (listing, brand, face value, ' +
    'price, every timestamp), the whole hash-chained trail, every issuer check, every report with its ' +
    'decision and rationale. Built on request and signed (`jws`, ES256) with a key of ' +
    '`GET /v1/evidence-keys`. Never a code, PIN or token.',
  ...reads('orders'),
  request: {
    params: idParams({ orderId: 'ord' }),
    query: z.object({
      format: z
        .enum(evidenceFormats)
        .optional()
        .openapi({
          description:
            "`bundle` (default): `{ bundle, jws }`. `stripe`: the bundle mapped to Stripe's dispute `evidence` " +
            'fields (access_activity_log, product_description, customer_purchase_ip, service_date, ' +
            'uncategorized_text, Visa Compelling Evidence 3.0 disputed_transaction), with the `jws`.',
        }),
      lang: z.enum(pageLangs).optional().openapi({ description: 'The language of the `text/html` page.' }),
    }),
  },
  responses: {
    200: {
      description:
        'The bundle and its signature, or its Stripe mapping (`format=stripe`); with `Accept: text/html`, ' +
        'a printable page a reviewer reads in a minute, with the signature and how to verify it.',
      content: {
        'application/json': { schema: z.union([SignedEvidenceSchema, StripeEvidenceSchema]) },
        'text/html': { schema: z.string() },
      },
    },
    ...problems(inputProblems, 'not-found', 'dependency-unavailable'),
  },
});

const keys = createRoute({
  method: 'get',
  path: '/evidence-keys',
  operationId: 'listEvidenceKeys',
  tags: ['Evidence'],
  summary: 'The keys evidence bundles are signed with (JWKS)',
  description:
    'A JSON Web Key Set (RFC 7517): EC P-256 keys for ES256, the current one and those kept from ' +
    'before, so a bundle signed under an older key still verifies.',
  ...reads('orders'),
  responses: {
    200: json(EvidenceKeysSchema, 'The evidence keys'),
    ...problems('dependency-unavailable'),
  },
});

/** Evidence for disputes: the signed bundle of an order, and the keys to check it. */
export function evidenceRoutes(evidenceService: EvidenceService) {
  return routeApp()
    .openapi(evidence, async (c) => {
      const bundle = evidenceView(await evidenceService.facts(tenantOf(c), c.req.valid('param').orderId));
      const jws = await evidenceService.sign(bundle);
      const { format, lang } = c.req.valid('query');
      if (wantsHtml(c.req.header('accept'))) {
        setPageHeaders(c);
        return c.html(await evidencePage(lang ?? 'en', bundle, stripeEvidenceView(bundle, jws)), 200);
      }
      if (format === 'stripe') return c.json(stripeEvidenceView(bundle, jws), 200);
      return c.json({ bundle, jws }, 200);
    })
    .openapi(keys, async (c) => c.json({ keys: [...(await evidenceService.keys()).keys] }, 200));
}
