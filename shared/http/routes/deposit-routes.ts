import { createRoute } from '@hono/zod-openapi';
import type { DepositService } from '../../services/deposit-service.js';
import { routeApp, tenantOf } from '../env.js';
import { bodyProblems, idParams, inputProblems, json, jsonBody, problems } from '../schemas.js';
import { needs } from '../scopes.js';
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
  operationId: 'depositCards',
  tags: ['Cards'],
  summary: 'Deposit codes into a listing',
  description:
    'Each code is checked unused with its issuer, encrypted bound to its card, and fingerprinted ' +
    'so it can never be deposited twice (F6). One result per card, in request order: `available`, ' +
    '`rejected` (with the reason), `duplicate`, or `pending_check` when the issuer did not answer ' +
    '(checked again later). The answer names no code. Depositing the same codes again is safe: a ' +
    'code already in the vault answers `duplicate`.',
  ...needs('listings'),
  request: {
    params: idParams({ listingId: 'lst' }),
    body: jsonBody(DepositBody),
  },
  responses: {
    200: json(DepositResultsSchema, 'One result per card, in request order'),
    ...problems(bodyProblems, 'not-found', 'seller-suspended', 'invalid-state', 'deposit-budget-exhausted'),
  },
});

const withdraw = createRoute({
  method: 'delete',
  path: '/listings/{listingId}/cards/{cardId}',
  operationId: 'withdrawCard',
  tags: ['Cards'],
  summary: 'Withdraw an unsold card',
  description:
    'Takes an available card off sale and forgets its fingerprint, so the code may be deposited ' +
    'again elsewhere. A card reserved or sold cannot be withdrawn (`card-not-available`).',
  ...needs('listings'),
  request: {
    params: idParams({ listingId: 'lst', cardId: 'crd' }),
  },
  responses: {
    200: json(CardSchema, 'The withdrawn card'),
    ...problems(inputProblems, 'not-found', 'card-not-available'),
  },
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
