import { createRoute } from '@hono/zod-openapi';
import type { ListingService } from '../../services/listing-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  externalId,
  freeText,
  idParams,
  inputProblems,
  json,
  jsonBody,
  PositiveMoneySchema,
  problems,
} from '../schemas.js';
import { needs, reads } from '../scopes.js';
import { ListingSchema, listingView } from '../views/listing-view.js';
import * as z from '../zod.js';

const CreateListingBody = z
  .strictObject({
    sellerId: externalId,
    brand: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'must be a brand id such as demo-gift'),
    faceValue: PositiveMoneySchema,
    price: PositiveMoneySchema,
    title: freeText(200).optional(),
  })
  .openapi('CreateListing');

const create = createRoute({
  method: 'post',
  path: '/listings',
  operationId: 'createListing',
  tags: ['Listings'],
  summary: 'Create a listing',
  description:
    "A seller's offer of one brand and face value at one price. Cards are deposited into it " +
    'afterwards; listings are never deleted, so the evidence of what was sold stays (F3).',
  ...needs('listings'),
  request: { body: jsonBody(CreateListingBody) },
  responses: {
    201: json(ListingSchema, 'The listing'),
    ...problems(bodyProblems, 'unknown-brand', 'seller-suspended'),
  },
});

const get = createRoute({
  method: 'get',
  path: '/listings/{listingId}',
  operationId: 'getListing',
  tags: ['Listings'],
  summary: 'Read a listing and its stock',
  ...reads('listings'),
  request: { params: idParams({ listingId: 'lst' }) },
  responses: {
    200: json(ListingSchema, 'The listing with stock counts by card state'),
    ...problems(inputProblems, 'not-found'),
  },
});

/** Listings: create and read (with stock). Listings are never deleted: evidence survives (F3). */
export function listingRoutes(listings: ListingService) {
  return routeApp()
    .openapi(create, async (c) => {
      const listing = await listings.create(tenantOf(c), c.req.valid('json'));
      return c.json(listingView(listing), 201);
    })
    .openapi(get, async (c) => {
      const { listing, stock } = await listings.get(tenantOf(c), c.req.valid('param').listingId);
      return c.json(listingView(listing, stock), 200);
    });
}
