import { type CardState, cardStates } from '../../domain/card.js';
import type { Listing } from '../../domain/listing.js';
import { MoneySchema, timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { moneyView } from './money-view.js';

export const ListingSchema = z
  .object({
    listingId: z.string(),
    sellerId: z.string(),
    brand: z.string(),
    faceValue: MoneySchema,
    price: MoneySchema,
    title: z.string().optional(),
    createdAt: timestamp(),
    stock: z.record(z.enum(cardStates), z.number().int()).optional(),
  })
  .openapi('Listing');

export function listingView(
  listing: Listing,
  stock?: Record<CardState, number>,
): z.infer<typeof ListingSchema> {
  return {
    listingId: listing.listingId,
    sellerId: listing.sellerId,
    brand: listing.brand,
    faceValue: moneyView(listing.faceValue),
    price: moneyView(listing.price),
    ...(listing.title !== undefined ? { title: listing.title } : {}),
    createdAt: listing.createdAt,
    ...(stock ? { stock: { ...stock } } : {}),
  };
}
