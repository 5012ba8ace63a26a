import { createRoute } from '@hono/zod-openapi';
import { OPERATOR_OUTCOMES } from '../../domain/escalation.js';
import type { EscalationService } from '../../services/escalation-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  idParams,
  inputProblems,
  json,
  jsonBody,
  operatorDecisionFields,
  problems,
} from '../schemas.js';
import { needs, reads } from '../scopes.js';
import { EscalationCaseSchema, escalationCaseView } from '../views/escalation-view.js';
import * as z from '../zod.js';

const list = createRoute({
  method: 'get',
  path: '/escalations',
  operationId: 'listEscalations',
  tags: ['Disputes'],
  summary: 'List open escalations',
  description:
    'Reports the decision table could not decide, oldest first, each with its evidence, the ' +
    "deadline after which its reason's default applies, and both parties' records. Page with `cursor`.",
  ...reads('desk'),
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().min(1).max(1000).optional(),
    }),
  },
  responses: {
    200: json(
      z
        .object({ escalations: z.array(EscalationCaseSchema), nextCursor: z.string().optional() })
        .openapi('EscalationList'),
      'Open escalations of the tenant, oldest first, with their evidence',
    ),
    ...problems(inputProblems),
  },
});

const settle = createRoute({
  method: 'post',
  path: '/escalations/{reportId}/settle',
  operationId: 'settleEscalation',
  tags: ['Disputes'],
  summary: 'Settle an escalation',
  description:
    "The dispute desk's decision on an open escalation: `refund` (refund, seller strike and fine), " +
    '`refund_without_penalty`, or `reject`. Recorded on the order trail with the note and who decided.',
  ...needs('desk'),
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
    200: json(EscalationCaseSchema, "The report, closed, with its settlement and both parties' records"),
    ...problems(bodyProblems, 'not-found', 'report-not-open', 'invalid-state'),
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
          escalations: page.cases.map(escalationCaseView),
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
      return c.json(escalationCaseView(settled), 200);
    });
}
