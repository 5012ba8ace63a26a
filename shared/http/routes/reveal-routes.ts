import { createRoute } from '@hono/zod-openapi';
import type { ReportService } from '../../services/report-service.js';
import type { RevealService } from '../../services/reveal-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  externalId,
  idempotencyHeader,
  idempotencyProblems,
  idParams,
  json,
  jsonBody,
  problems,
  vaultId,
} from '../schemas.js';
import { needs } from '../scopes.js';
import { BuyerContextSchema, checkedContext } from '../views/buyer-context-schema.js';
import { ReportSchema, reportView } from '../views/report-view.js';
import { RevelationSchema, revelationView } from '../views/revelation-view.js';
import * as z from '../zod.js';

const orderParams = idParams({ orderId: 'ord' });

const reveal = createRoute({
  method: 'post',
  path: '/orders/{orderId}/reveal',
  operationId: 'revealOrder',
  tags: ['Reveal and report'],
  summary: 'Reveal the codes of a paid order, once',
  description:
    'Re-checks each code with the issuer (a card not active, or with less than its face value ' +
    'left, is dead: the order is refunded, the seller penalised, nothing shown), then shows the ' +
    'codes once; `revealedAt` is the commit time, after the re-check. The same Idempotency-Key ' +
    'gets the codes again within REVEAL_RETRY_SECONDS (default 24 h), each time recorded as an ' +
    '`order.redelivered` event; any other key answers `already-revealed`. A paid order released ' +
    'unrevealed at its reveal deadline can still be revealed: it stays `released` and its dispute ' +
    "window opens; a dead code then is refunded from the seller's available balance. An optional " +
    '`buyerContext` (who asked: IP address, user agent, session, device) is kept as evidence for ' +
    'EVIDENCE_RETENTION_DAYS (default 540), its salted digest on the trail; never logged.',
  ...needs('reveal'),
  request: {
    params: orderParams,
    headers: idempotencyHeader,
    body: jsonBody(
      z
        .strictObject({ buyerId: externalId, buyerContext: BuyerContextSchema.optional() })
        .openapi('RevealOrder'),
    ),
  },
  responses: {
    200: {
      ...json(RevelationSchema, 'The codes, once. Never cached (Cache-Control: no-store).'),
      headers: z.object({ 'Cache-Control': z.literal('no-store') }),
    },
    ...problems(
      bodyProblems,
      idempotencyProblems,
      'not-found',
      'payment-not-cleared',
      'already-revealed',
      'code-already-redeemed',
      'invalid-state',
    ),
  },
});

const report = createRoute({
  method: 'post',
  path: '/orders/{orderId}/reports',
  operationId: 'reportCard',
  tags: ['Reveal and report'],
  summary: 'Report a revealed code as already redeemed',
  description:
    'The code is re-checked with the issuer and the report decided by the fixed table: refund and ' +
    'seller penalty when the issuer shows the code was used before the reveal, reject when after ' +
    'it (F5), escalate to the dispute desk when the evidence does not decide.',
  ...needs('orders'),
  request: {
    params: orderParams,
    body: jsonBody(
      z
        .strictObject({ buyerId: externalId, cardId: vaultId('crd'), reason: z.literal('already_redeemed') })
        .openapi('ReportCard'),
    ),
  },
  responses: {
    201: json(ReportSchema, 'The decision and the evidence used'),
    ...problems(
      bodyProblems,
      'not-found',
      'not-revealed',
      'dispute-window-closed',
      'already-reported',
      'invalid-state',
    ),
  },
});

/** Served by the reveal function; the api function documents them (it answers `/openapi.json`). */
export const revealOperations = [reveal, report];

/** The only routes that decrypt codes: to show them, or to re-check them with the issuer. */
export function revealRoutes(services: { reveals: Pick<RevealService, 'reveal'>; reports: ReportService }) {
  return routeApp()
    .openapi(reveal, async (c) => {
      const { buyerId, buyerContext } = c.req.valid('json');
      const revelation = await services.reveals.reveal(
        tenantOf(c),
        c.req.valid('param').orderId,
        buyerId,
        c.req.valid('header')['idempotency-key'],
        { channel: 'api', ...(buyerContext ? { buyerContext: checkedContext(buyerContext) } : {}) },
      );
      c.header('Cache-Control', 'no-store');
      c.header('Pragma', 'no-cache');
      return c.json(revelationView(revelation), 200);
    })
    .openapi(report, async (c) => {
      const created = await services.reports.report(
        tenantOf(c),
        c.req.valid('param').orderId,
        c.req.valid('json'),
      );
      return c.json(reportView(created), 201);
    });
}
