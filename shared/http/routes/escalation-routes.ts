import { createRoute } from '@hono/zod-openapi';
import { OPERATOR_OUTCOMES } from '../../domain/escalation.js';
import type { EscalationService } from '../../services/escalation-service.js';
import { bearerSecurity, routeApp, tenantOf } from '../env.js';
import { idParams, json, jsonBody, operatorDecisionFields, problems } from '../schemas.js';
import { ReportSchema, reportView } from '../views/report-view.js';
import * as z from '../zod.js';

const list = createRoute({
  method: 'get',
  path: '/escalations',
  security: bearerSecurity,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().min(1).max(1000).optional(),
    }),
  },
  responses: {
    200: json(
      z
        .object({ escalations: z.array(ReportSchema), nextCursor: z.string().optional() })
        .openapi('EscalationList'),
      'Open escalations of the tenant, oldest first, with their evidence',
    ),
    ...problems(400, 401),
  },
});

const settle = createRoute({
  method: 'post',
  path: '/escalations/{reportId}/settle',
  security: bearerSecurity,
  request: {
    params: idParams({ reportId: 'rpt' }),
    body: jsonBody(
      z
        .strictObject({
          outcome: z.enum(OPERATOR_OUTCOMES).openapi({
            description:
              'refund: refund + seller strike and fine; refund_without_penalty: refund only; reject',
          }),
          ...operatorDecisionFields,
        })
        .openapi('SettleEscalation'),
    ),
  },
  responses: {
    200: json(ReportSchema, 'The report, closed, with its settlement'),
    ...problems(400, 401, 404, 409),
  },
});

/** The marketplace's dispute desk: open escalations and their settlement. No code is opened. */
export function escalationRoutes(escalations: EscalationService) {
  return routeApp()
    .openapi(list, async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await escalations.list(tenantOf(c), limit, cursor);
      return c.json(
        {
          escalations: page.reports.map(reportView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
        200,
      );
    })
    .openapi(settle, async (c) => {
      const settled = await escalations.settle(
        tenantOf(c),
        c.req.valid('param').reportId,
        c.req.valid('json'),
      );
      return c.json(reportView(settled), 200);
    });
}
