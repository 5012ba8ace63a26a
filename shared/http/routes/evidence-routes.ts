import { createRoute } from '@hono/zod-openapi';
import type { EvidenceService } from '../../services/evidence-service.js';
import { routeApp, tenantOf } from '../env.js';
import { idParams, inputProblems, json, problems } from '../schemas.js';
import { reads } from '../scopes.js';
import { EvidenceKeysSchema, evidenceView, SignedEvidenceSchema } from '../views/evidence-view.js';

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
  request: { params: idParams({ orderId: 'ord' }) },
  responses: {
    200: json(SignedEvidenceSchema, 'The bundle and its signature'),
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
      return c.json({ bundle, jws: await evidenceService.sign(bundle) }, 200);
    })
    .openapi(keys, async (c) => c.json({ keys: [...(await evidenceService.keys()).keys] }, 200));
}
