import { createRoute } from '@hono/zod-openapi';
import { reviewOutcomes } from '../../domain/seller-standing.js';
import type { DepositUnlockService } from '../../services/deposit-unlock-service.js';
import type { ReinstatementService } from '../../services/reinstatement-service.js';
import type { SellerReviewService } from '../../services/seller-review-service.js';
import type { StandingService } from '../../services/standing-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  eventPageQuery,
  externalId,
  inputProblems,
  json,
  jsonBody,
  operatorDecisionFields,
  problems,
} from '../schemas.js';
import { needs, reads } from '../scopes.js';
import { BuyerCreditSchema, buyerView } from '../views/buyer-credit-view.js';
import { SellerEventsSchema, sellerEventsView } from '../views/seller-events-view.js';
import { SellerStandingSchema, sellerView } from '../views/seller-standing-view.js';
import * as z from '../zod.js';

const sellerParams = z.object({
  sellerId: externalId.openapi({ param: { name: 'sellerId', in: 'path' } }),
});

const seller = createRoute({
  method: 'get',
  path: '/sellers/{sellerId}',
  operationId: 'getSeller',
  tags: ['Parties'],
  summary: "Read a seller's standing",
  description: 'A seller the vault has never seen is active, with no strikes and an empty balance.',
  ...reads('desk'),
  request: { params: sellerParams },
  responses: {
    200: json(SellerStandingSchema, 'Standing: status, strikes, escrow balance, penalties'),
    ...problems(inputProblems),
  },
});

const sellerEvents = createRoute({
  method: 'get',
  path: '/sellers/{sellerId}/events',
  operationId: 'listSellerEvents',
  tags: ['Parties'],
  summary: "Read a seller's trail",
  description:
    'Oldest first, `limit` a page (default 50, at most 100); page on with `cursor` (the ' +
    '`nextCursor` of the previous page, absent on the last). A cursor of another list: `validation`.',
  ...reads('desk'),
  request: { params: sellerParams, query: eventPageQuery(50) },
  responses: {
    200: json(
      SellerEventsSchema,
      "The seller's own trail: suspensions, reinstatements and reviews, oldest first",
    ),
    ...problems(inputProblems),
  },
});

const reinstate = createRoute({
  method: 'post',
  path: '/sellers/{sellerId}/reinstate',
  operationId: 'reinstateSeller',
  tags: ['Parties'],
  summary: 'Reinstate a suspended seller',
  ...needs('desk'),
  description:
    'Lifts a suspension: the seller sells and is paid out again. Strikes and penalties stay in the ' +
    'history; only strikes after the reinstatement count toward the next suspension. Recorded as a ' +
    '`seller.reinstated` event (GET /v1/sellers/{sellerId}/events). A seller that is not suspended: 409.',
  request: {
    params: sellerParams,
    body: jsonBody(
      z
        .strictObject({
          ...operatorDecisionFields,
        })
        .openapi('Reinstatement'),
    ),
  },
  responses: {
    200: json(SellerStandingSchema, 'The standing after reinstatement: active, payouts no longer held'),
    ...problems(bodyProblems, 'invalid-state'),
  },
});

const review = createRoute({
  method: 'post',
  path: '/sellers/{sellerId}/review',
  operationId: 'closeSellerReview',
  tags: ['Parties'],
  summary: "Close a seller's review",
  ...needs('desk'),
  description:
    "The dispute desk's decision on a seller under review (the cards of several buyers died after " +
    'the reveal). `cleared`: the held releases are paid, its `seller_suspected` escalations are ' +
    'rejected again and the counting starts afresh. ' +
    '`suspended`: the seller is suspended (the usual cascade) and its open `seller_suspected` ' +
    'escalations are refunded with a penalty each. Recorded as `seller.review_closed`. A seller ' +
    'that is not under review: 409.',
  request: {
    params: sellerParams,
    body: jsonBody(
      z
        .strictObject({
          outcome: z.enum(reviewOutcomes),
          ...operatorDecisionFields,
        })
        .openapi('SellerReviewDecision'),
    ),
  },
  responses: {
    200: json(SellerStandingSchema, 'The standing after the decision'),
    ...problems(bodyProblems, 'invalid-state'),
  },
});

const unlockDeposits = createRoute({
  method: 'post',
  path: '/sellers/{sellerId}/unlock-deposits',
  operationId: 'unlockSellerDeposits',
  tags: ['Parties'],
  summary: "Unlock a seller's deposits",
  ...needs('desk'),
  description:
    "Lifts a lock of the seller's deposits (its budget of rejected codes spent; the third lock in " +
    '7 days lasts until this call). The count of rejected codes and of locks starts afresh. ' +
    'Recorded as a `seller.deposits_unlocked` event (GET /v1/sellers/{sellerId}/events). A seller ' +
    'whose deposits are not locked: 409.',
  request: {
    params: sellerParams,
    body: jsonBody(z.strictObject({ ...operatorDecisionFields }).openapi('DepositUnlock')),
  },
  responses: {
    200: json(SellerStandingSchema, 'The standing after the unlock: deposits no longer locked'),
    ...problems(bodyProblems, 'invalid-state'),
  },
});

const buyer = createRoute({
  method: 'get',
  path: '/buyers/{buyerId}',
  operationId: 'getBuyer',
  tags: ['Parties'],
  summary: "Read a buyer's report history",
  description: 'The buyer credit the report decision table uses (F5): reports made, upheld and rejected.',
  ...reads('desk'),
  request: { params: z.object({ buyerId: externalId.openapi({ param: { name: 'buyerId', in: 'path' } }) }) },
  responses: {
    200: json(BuyerCreditSchema, 'Report history: total, upheld, rejected'),
    ...problems(inputProblems),
  },
});

/** Seller standing, suspension and reinstatement, and buyer credit, per tenant. */
export function partyRoutes({
  standing,
  reinstatements,
  depositUnlocks,
  reviews,
}: {
  standing: StandingService;
  reinstatements: ReinstatementService;
  depositUnlocks: DepositUnlockService;
  reviews: Pick<SellerReviewService, 'close'>;
}) {
  return routeApp()
    .openapi(seller, async (c) =>
      c.json(sellerView(await standing.seller(tenantOf(c), c.req.valid('param').sellerId)), 200),
    )
    .openapi(sellerEvents, async (c) => {
      const { sellerId } = c.req.valid('param');
      const page = await standing.sellerEvents(tenantOf(c), sellerId, c.req.valid('query'));
      return c.json(sellerEventsView(sellerId, page), 200);
    })
    .openapi(reinstate, async (c) => {
      const tenantId = tenantOf(c);
      const { sellerId } = c.req.valid('param');
      await reinstatements.reinstate(tenantId, sellerId, c.req.valid('json'));
      return c.json(sellerView(await standing.seller(tenantId, sellerId)), 200);
    })
    .openapi(review, async (c) => {
      const tenantId = tenantOf(c);
      const { sellerId } = c.req.valid('param');
      await reviews.close(tenantId, sellerId, c.req.valid('json'));
      return c.json(sellerView(await standing.seller(tenantId, sellerId)), 200);
    })
    .openapi(unlockDeposits, async (c) => {
      const tenantId = tenantOf(c);
      const { sellerId } = c.req.valid('param');
      await depositUnlocks.unlock(tenantId, sellerId, c.req.valid('json'));
      return c.json(sellerView(await standing.seller(tenantId, sellerId)), 200);
    })
    .openapi(buyer, async (c) =>
      c.json(buyerView(await standing.buyer(tenantOf(c), c.req.valid('param').buyerId)), 200),
    );
}
