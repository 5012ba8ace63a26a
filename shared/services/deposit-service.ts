import { type Brand, checkFormat, fingerprintInput, last4, normalizeCode } from '../domain/brand.js';
import { type Card, type CardValidation, fingerprintFreedOnWithdraw } from '../domain/card.js';
import type { DepositOutcome, DepositReason } from '../domain/deposit-outcome.js';
import {
  CardNotAvailableError,
  DependencyUnavailableError,
  NotFoundError,
  SellerSuspendedError,
  UnknownBrandError,
} from '../domain/errors.js';
import type { IssuerCheck } from '../domain/issuer-check.js';
import type { Listing } from '../domain/listing.js';
import type { SealedSecret } from '../ports/code-cipher.js';
import { mapBounded } from './bounded.js';
import { countDeposits } from './commit-metrics.js';
import { DepositBudgetGate } from './deposit-budget-gate.js';
import type { ListingService } from './listing-service.js';
import type { DepositDeps } from './vault-deps.js';

type Verdict = Omit<DepositResult, 'index' | 'last4'>;
/** The seller's budget ran out before this code's turn: it went neither to the issuer nor into the vault. */
const NOT_CHECKED = { outcome: 'not_checked', reason: 'deposit_budget_exhausted' } as const;
/** A card checked and sealed: its answer, and the card when it is to be written. */
type Prepared = { result: DepositResult; card?: Card };

export interface DepositResult {
  readonly index: number;
  readonly outcome: DepositOutcome;
  readonly cardId?: string;
  readonly last4: string;
  readonly reason?: DepositReason;
}

/**
 * Cards written per transaction (two items each, of DynamoDB's 100). Measured on DynamoDB Local:
 * one transaction per card commits about 190 cards/s whatever the concurrency; 25 per
 * transaction about 500 cards/s. The storage, not the issuer or the cipher, bounded deposits.
 */
export const WRITE_BATCH = 25;
/** Batches in flight per request: while one batch is written, the next ones are being checked. */
const BATCHES_IN_FLIGHT = 3;
/** Cards checked in parallel per batch: with the batches, 12 issuer/KMS calls at most per request. */
const CHECKS_PER_BATCH = 4;
/** Codes one deposit request has with the issuer and the cipher at once (what `npm run bench` matches). */
export const CHECKS_IN_FLIGHT_PER_DEPOSIT = BATCHES_IN_FLIGHT * CHECKS_PER_BATCH;
/** Issuer checks start within this much of the request (the deposit Lambda's timeout is 29 s). */
const ISSUER_BUDGET_MS = 20_000;

/**
 * Deposit (F1, F2, F6): every code is format-checked, fingerprinted (unique across the
 * deployment), checked unused with its issuer and encrypted bound to its card before it can
 * be sold. Rejected codes are not stored at all.
 */
export class DepositService {
  constructor(
    private readonly deps: Pick<
      DepositDeps,
      'stores' | 'cipher' | 'issuer' | 'clock' | 'ids' | 'logger' | 'metrics' | 'settings'
    >,
    private readonly listings: ListingService,
  ) {}

  async deposit(
    tenantId: string,
    listingId: string,
    secrets: readonly SealedSecret[],
  ): Promise<DepositResult[]> {
    // Past this point no more issuer checks start: the rest are stored `pending`, so a slow
    // issuer never makes a 500-card deposit outlive its Lambda (deposit the same codes again later).
    const checkUntil = Date.now() + ISSUER_BUDGET_MS;
    const listing = await this.listings.require(tenantId, listingId);
    const { tenants, parties } = this.deps.stores;
    const [brand, seller] = await Promise.all([
      tenants.getBrand(listing.brand),
      parties.getSeller(tenantId, listing.sellerId),
    ]);
    if (seller?.status === 'suspended') throw new SellerSuspendedError('the seller is suspended');
    if (!brand) throw new UnknownBrandError(`brand ${listing.brand} is no longer accepted`);
    // A locked seller's deposit is refused whole, before any code is looked at (issue 19).
    const gate = new DepositBudgetGate(this.deps, tenantId, listing.sellerId, checkUntil);
    await gate.open();

    const seen = new Set<string>();
    const prepare = async (secret: SealedSecret, index: number): Promise<Prepared> => {
      const code = normalizeCode(secret.code);
      const base = { index, last4: last4(code) };
      if (checkFormat(brand, code, secret.pin) === 'format')
        return { result: { ...base, outcome: 'rejected', reason: 'format' } };
      if (seen.has(code)) return { result: { ...base, outcome: 'rejected', reason: 'duplicate' } };
      seen.add(code);
      const prepared = await this.depositOne(listing, brand, { ...secret, code }, { checkUntil, gate });
      return 'card' in prepared
        ? { ...prepared, result: { ...base, ...prepared.result } }
        : { result: { ...base, ...prepared.result } };
    };
    const batches: { secret: SealedSecret; index: number }[][] = [];
    secrets.forEach((secret, index) => {
      if (index % WRITE_BATCH === 0) batches.push([]);
      batches[batches.length - 1]?.push({ secret, index });
    });
    const written = await mapBounded(batches, BATCHES_IN_FLIGHT, async (batch) => {
      const prepared = await mapBounded(batch, CHECKS_PER_BATCH, (x) => prepare(x.secret, x.index));
      const cards = prepared.flatMap((p) => (p.card ? [p.card] : []));
      // Lost a race with another deposit of the same code (F6): those cards are duplicates.
      const taken = cards.length > 0 ? await this.deps.stores.catalog.addCards(cards) : new Set<string>();
      return prepared.map(({ card, result }): DepositResult => {
        if (!card || !taken.has(card.cardId)) return result;
        return { index: result.index, last4: result.last4, outcome: 'rejected', reason: 'duplicate' };
      });
    });
    const results = written.flat();
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
    this.deps.logger.info({ tenantId, listingId, cards: secrets.length, ...counts }, 'cards deposited');
    countDeposits(this.deps.metrics, results);
    return results;
  }

  async withdraw(tenantId: string, listingId: string, cardId: string): Promise<Card> {
    let card = await this.deps.stores.catalog.getCard(tenantId, listingId, cardId);
    if (card?.state === 'reserved' && card.orderId) {
      // Held by an order whose payment time may be over: settle that order first, then decide.
      await this.listings.settleHolder(tenantId, card.orderId);
      card = await this.deps.stores.catalog.getCard(tenantId, listingId, cardId);
    }
    if (!card) throw new NotFoundError('card not found', { cardId });
    if (!fingerprintFreedOnWithdraw(card.state)) {
      throw new CardNotAvailableError(`a ${card.state} card cannot be withdrawn`, { state: card.state });
    }
    const at = this.deps.clock.now().toISOString();
    await this.deps.stores.catalog.withdrawCard(card, at);
    return { ...card, state: 'withdrawn', updatedAt: at };
  }

  /** A card's answer, or the card to write with the answer it gets once written. */
  private async depositOne(
    listing: Listing,
    brand: Brand,
    secret: SealedSecret,
    turn: Turn,
  ): Promise<{ result: Verdict; card?: Card }> {
    const { catalog } = this.deps.stores;
    const fingerprint = await this.deps.cipher.fingerprint(fingerprintInput(brand.brand, secret.code));
    const owner = await catalog.findFingerprint(fingerprint);
    if (owner) return { result: await this.retryPending(listing, brand, secret, owner, turn) };

    const validation = await this.check(brand, secret, listing, turn);
    if (validation === 'not_checked') return { result: NOT_CHECKED };
    const verdict = verdictOf(validation, listing);
    if (verdict.outcome === 'rejected') return { result: verdict };

    const now = this.deps.clock.now();
    const cardId = this.deps.ids.next('crd', now);
    const card: Card = {
      tenantId: listing.tenantId,
      cardId,
      listingId: listing.listingId,
      sellerId: listing.sellerId,
      state: verdict.outcome === 'accepted' ? 'available' : 'pending_validation',
      last4: last4(secret.code),
      ciphertext: await this.deps.cipher.encrypt(secret, { tenantId: listing.tenantId, cardId }),
      fingerprint,
      validation,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    return { result: { ...verdict, cardId }, card };
  }

  /**
   * A code already in the vault is a duplicate (F6), unless it is this listing's own card:
   * still waiting for the issuer, depositing it again re-runs the check; already on sale, the
   * deposit is a retry (say of a request whose answer was lost) and gets the same card back.
   */
  private async retryPending(
    listing: Listing,
    brand: Brand,
    secret: SealedSecret,
    owner: { tenantId: string; listingId: string; cardId: string },
    turn: Turn,
  ): Promise<Verdict> {
    const duplicate = { outcome: 'rejected', reason: 'duplicate' } as const;
    if (owner.tenantId !== listing.tenantId || owner.listingId !== listing.listingId) return duplicate;
    const card = await this.deps.stores.catalog.getCard(owner.tenantId, owner.listingId, owner.cardId);
    if (card?.state === 'available') return { outcome: 'accepted', cardId: card.cardId };
    if (card?.state !== 'pending_validation') return duplicate;
    const validation = await this.check(brand, secret, listing, turn);
    if (validation === 'not_checked') return { ...NOT_CHECKED, cardId: card.cardId };
    const verdict = verdictOf(validation, listing);
    if (verdict.outcome === 'pending') return { ...verdict, cardId: card.cardId };
    const now = this.deps.clock.now();
    await this.deps.stores.catalog.settlePendingCard(
      card,
      verdict.outcome === 'accepted' ? 'available' : 'void',
      validation,
      {
        eventId: this.deps.ids.next('evt', now),
        outcome: verdict.outcome === 'accepted' ? 'accepted' : 'rejected',
        ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
        at: now.toISOString(),
      },
    );
    return verdict.outcome === 'accepted' ? { ...verdict, cardId: card.cardId } : verdict;
  }

  /**
   * Asks the issuer, holding a slot of the seller's budget for the time of the question: a
   * rejection keeps it, any other answer (or none) gives it back.
   */
  private async check(
    brand: Brand,
    secret: SealedSecret,
    listing: Listing,
    { checkUntil, gate }: Turn,
  ): Promise<CardValidation | 'not_checked'> {
    const unchecked = (): CardValidation => ({
      issuerState: 'unreachable',
      checkedAt: this.deps.clock.now().toISOString(),
    });
    if (Date.now() >= checkUntil) return unchecked();
    const slot = await gate.take();
    if (slot === 'spent') return 'not_checked';
    // Every slot held by checks still running until the time ran out: past the deadline, not spent.
    if (slot === 'out_of_time') return unchecked();
    const { holdId } = slot;
    let validation: CardValidation | undefined;
    try {
      validation = await this.ask(brand, secret, listing);
      return validation;
    } finally {
      const state = validation?.issuerState;
      await gate.settle(holdId, state === 'invalid' || state === 'redeemed');
    }
  }

  private async ask(brand: Brand, secret: SealedSecret, listing: Listing): Promise<CardValidation> {
    const checkedAt = this.deps.clock.now().toISOString();
    let answer: IssuerCheck;
    try {
      answer = await this.deps.issuer.check(brand, secret, { purpose: 'deposit' });
    } catch (error) {
      if (!(error instanceof DependencyUnavailableError)) throw error;
      this.deps.logger.warn(
        { listingId: listing.listingId, brand: brand.brand },
        'issuer unreachable during deposit',
      );
      return { issuerState: 'unreachable', checkedAt };
    }
    return {
      issuerState: answer.state,
      ...(answer.balance ? { balance: answer.balance } : {}),
      ...(answer.redeemedAt ? { redeemedAt: answer.redeemedAt } : {}),
      checkedAt,
      ...(answer.signature ? { answerSignature: answer.signature } : {}),
    };
  }
}

/** When checks may still start, and the door to the issuer they all go through. */
interface Turn {
  readonly checkUntil: number;
  readonly gate: DepositBudgetGate;
}

function verdictOf(validation: CardValidation, listing: Listing): Verdict {
  switch (validation.issuerState) {
    case 'redeemed':
      return { outcome: 'rejected', reason: 'already_redeemed' };
    case 'invalid':
      return { outcome: 'rejected', reason: 'invalid_code' };
    case 'unreachable':
      return { outcome: 'pending', reason: 'issuer_unavailable' };
    case 'active': {
      const { balance } = validation;
      const mismatch =
        balance !== undefined &&
        (balance.currency !== listing.faceValue.currency || balance.amount !== listing.faceValue.amount);
      return mismatch ? { outcome: 'rejected', reason: 'value_mismatch' } : { outcome: 'accepted' };
    }
  }
}
