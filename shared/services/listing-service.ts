import type { CardState } from '../domain/card.js';
import { NotFoundError, SellerSuspendedError, UnknownBrandError, ValidationError } from '../domain/errors.js';
import type { Listing } from '../domain/listing.js';
import type { Money } from '../domain/money.js';
import type { OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

export interface CreateListingInput {
  readonly sellerId: string;
  readonly brand: string;
  readonly faceValue: Money;
  readonly price: Money;
  readonly title?: string;
}

/** Listings: what a seller offers, in which brand, at what price. Never hard-deleted (F3). */
export class ListingService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids'>,
    private readonly runner: Pick<OrderRunner, 'load' | 'stockSettled'>,
  ) {}

  async create(tenantId: string, input: CreateListingInput): Promise<Listing> {
    if (input.faceValue.currency !== input.price.currency) {
      throw new ValidationError('faceValue and price must be in the same currency');
    }
    const { catalog, parties, tenants } = this.deps.stores;
    const [brand, seller] = await Promise.all([
      tenants.getBrand(input.brand),
      parties.getSeller(tenantId, input.sellerId),
    ]);
    if (!brand) throw new UnknownBrandError(`unknown brand: ${input.brand}`, { brand: input.brand });
    if (seller?.status === 'suspended') throw new SellerSuspendedError('the seller is suspended');
    const now = this.deps.clock.now();
    const listing: Listing = {
      tenantId,
      listingId: this.deps.ids.next('lst', now),
      sellerId: input.sellerId,
      brand: input.brand,
      faceValue: input.faceValue,
      price: input.price,
      ...(input.title !== undefined ? { title: input.title } : {}),
      createdAt: now.toISOString(),
    };
    await catalog.createListing(listing);
    return listing;
  }

  async get(
    tenantId: string,
    listingId: string,
  ): Promise<{ listing: Listing; stock: Record<CardState, number> }> {
    const listing = await this.require(tenantId, listingId);
    // Stock as of now: reservations whose payment time is over count as available again.
    const stock = await this.runner.stockSettled(tenantId, listingId);
    return { listing, stock };
  }

  /** Applies what is due on the order holding a card (an unpaid order past its time expires). */
  async settleHolder(tenantId: string, orderId: string): Promise<void> {
    await this.runner.load(tenantId, orderId);
  }

  async require(tenantId: string, listingId: string): Promise<Listing> {
    const listing = await this.deps.stores.catalog.getListing(tenantId, listingId);
    if (!listing) throw new NotFoundError('listing not found', { listingId });
    return listing;
  }
}
