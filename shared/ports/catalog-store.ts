import type { Card, CardState, CardValidation, DepositSettlement } from '../domain/card.js';
import type { Listing } from '../domain/listing.js';

/** Where a fingerprint is taken, when it is. */
export interface FingerprintOwner {
  readonly tenantId: string;
  readonly listingId: string;
  readonly cardId: string;
}

/**
 * Listings and their cards, and the deployment-wide fingerprint of every code (F6). A lost
 * condition surfaces as a typed domain error (`ConcurrentUpdateError` unless a more precise one
 * applies), with the SDK error as `cause`.
 */
export interface CatalogStore {
  createListing(listing: Listing): Promise<void>;
  getListing(tenantId: string, listingId: string): Promise<Listing | undefined>;
  /**
   * The listing's cards counted by state, in one read, with the orders still holding a card
   * after their payment time ran out at `now` (due to expire, so the count is not final yet).
   */
  stock(
    tenantId: string,
    listingId: string,
    now: string,
  ): Promise<{ counts: Record<CardState, number>; lapsedOrderIds: string[] }>;
  findFingerprint(fingerprint: string): Promise<FingerprintOwner | undefined>;
  /** Stores a card and takes its fingerprint; throws `DuplicateCardError` if the fingerprint is taken. */
  addCard(card: Card): Promise<void>;
  /**
   * Stores cards and takes their fingerprints in one transaction (at most 50 cards: two items
   * each); returns the ids of the cards whose fingerprint was taken, which are not stored.
   */
  addCards(cards: readonly Card[]): Promise<Set<string>>;
  getCard(tenantId: string, listingId: string, cardId: string): Promise<Card | undefined>;
  /**
   * A pending card re-checked by the issuer: to `available` or `void`. The settlement is kept on
   * the card, so its stream record carries the `card.deposit_settled` webhook (no other write).
   */
  settlePendingCard(
    card: Card,
    to: 'available' | 'void',
    validation: CardValidation,
    settlement: DepositSettlement,
  ): Promise<void>;
  /** Withdraws an unsold card and frees its fingerprint. */
  withdrawCard(card: Card, at: string): Promise<void>;
  /**
   * Up to `limit` available cards of a listing. `pool` (the default) reads a few entries of the
   * listing's card pool from a random point, whatever the listing's size; it lags writes
   * slightly, so a card may be taken already and a just-freed one missing. `consistent` reads
   * the listing itself: the answer to trust before saying out of stock.
   */
  findAvailableCards(
    tenantId: string,
    listingId: string,
    limit: number,
    read?: 'pool' | 'consistent',
  ): Promise<Card[]>;
  /** The orders holding a listing's cards after their payment time ran out at `now` (due to expire). */
  lapsedReservations(tenantId: string, listingId: string, now: string): Promise<string[]>;
}
