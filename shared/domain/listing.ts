import type { Money } from './money.js';

export interface Listing {
  readonly tenantId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly brand: string;
  readonly faceValue: Money;
  readonly price: Money;
  readonly title?: string;
  readonly createdAt: string;
}
