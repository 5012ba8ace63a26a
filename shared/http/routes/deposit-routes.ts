import { createRoute } from '@hono/zod-openapi';
import type { DepositService } from '../../services/deposit-service.js';
import { bearerSecurity, routeApp, tenantOf } from '../env.js';
import { idParams, json, jsonBody, problems } from '../schemas.js';
import { CardSchema, cardView } from '../views/card-view.js';
import { DepositResultsSchema, depositView } from '../views/deposit-view.js';
import * as z from '../zod.js';

export const MAX_CARDS_PER_DEPOSIT = 500;

const DepositBody = z
  .strictObject({
    cards: z
      .array(
        z.strictObject({
          code: z
            .string()
            .min(1)
            .max(128)
            .regex(/[^\s-]/, 'must contain a code, not only spaces or dashes')
            .openapi({ example: 'DEMO-ABCD-EFGH-JKLM' }),
          pin: z.string().min(1).max(32).optional(),
        }),
      )
      .min(1)
      .max(MAX_CARDS_PER_DEPOSIT),
  })
  .openapi('DepositCards');

const deposit = createRoute({
  method: 'post',
  path: '/listings/{listingId}/cards',
  security: bearerSecurity,
  request: {
    params: idParams({ listingId: 'lst' }),
    body: jsonBody(DepositBody),
  },
  responses: {
    200: json(DepositResultsSchema, 'One result per card, in request order'),
    ...problems(400, 401, 404, 409, 413, 415),
  },
});

const withdraw = createRoute({
  method: 'delete',
  path: '/listings/{listingId}/cards/{cardId}',
  security: bearerSecurity,
  request: {
    params: idParams({ listingId: 'lst', cardId: 'crd' }),
  },
  responses: { 200: json(CardSchema, 'The withdrawn card'), ...problems(401, 404, 409) },
});

/** Deposit and withdraw: the only routes that encrypt and fingerprint codes (their own Lambda in AWS). */
/** Served by the deposit function; the api function documents them (it answers `/openapi.json`). */
export const depositOperations = [deposit, withdraw];

export function depositRoutes(deposits: DepositService) {
  return routeApp()
    .openapi(deposit, async (c) => {
      const results = await deposits.deposit(
        tenantOf(c),
        c.req.valid('param').listingId,
        c.req.valid('json').cards,
      );
      return c.json(depositView(results), 200);
    })
    .openapi(withdraw, async (c) => {
      const { listingId, cardId } = c.req.valid('param');
      return c.json(cardView(await deposits.withdraw(tenantOf(c), listingId, cardId)), 200);
    });
}
