import { createRoute, z } from '@hono/zod-openapi';
import type { StandingService } from '../../services/standing-service.js';
import { bearerSecurity, routeApp, tenantOf } from '../env.js';
import { externalId, json, problems } from '../schemas.js';
import { BuyerCreditSchema, buyerView } from '../views/buyer-credit-view.js';
import { SellerStandingSchema, sellerView } from '../views/seller-standing-view.js';

const seller = createRoute({
  method: 'get',
  path: '/sellers/{sellerId}',
  security: bearerSecurity,
  request: {
    params: z.object({ sellerId: externalId.openapi({ param: { name: 'sellerId', in: 'path' } }) }),
  },
  responses: {
    200: json(SellerStandingSchema, 'Standing: status, strikes, escrow balance, penalties'),
    ...problems(400, 401),
  },
});

const buyer = createRoute({
  method: 'get',
  path: '/buyers/{buyerId}',
  security: bearerSecurity,
  request: { params: z.object({ buyerId: externalId.openapi({ param: { name: 'buyerId', in: 'path' } }) }) },
  responses: {
    200: json(BuyerCreditSchema, 'Report history: total, upheld, rejected'),
    ...problems(400, 401),
  },
});

/** Seller standing and buyer credit, per tenant. */
export function partyRoutes(standing: StandingService) {
  return routeApp()
    .openapi(seller, async (c) =>
      c.json(sellerView(await standing.seller(tenantOf(c), c.req.valid('param').sellerId)), 200),
    )
    .openapi(buyer, async (c) =>
      c.json(buyerView(await standing.buyer(tenantOf(c), c.req.valid('param').buyerId)), 200),
    );
}
