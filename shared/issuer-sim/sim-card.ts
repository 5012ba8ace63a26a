import type { Money } from '../domain/money.js';

/** One card the simulated issuer knows, keyed by its normalized code. */
export interface SimCard {
  readonly brand: string;
  readonly pin?: string;
  /** What is left to spend; 0 once redeemed. */
  balance: Money;
  redeemed: boolean;
  /** Absent on a redeemed card when the issuer "does not say" when (fraud scenario F5). */
  redeemedAt?: string;
  /** The latest spend or redemption; absent when the issuer "does not say" when. */
  lastUsedAt?: string;
}

/** A redeemed card has nothing left; `at` undefined when the issuer "does not say" when (F5). */
export function redeem(card: SimCard, at: string | undefined): void {
  card.redeemed = true;
  card.balance = { ...card.balance, amount: 0 };
  if (at === undefined) {
    delete card.redeemedAt;
    delete card.lastUsedAt;
  } else {
    card.redeemedAt = at;
    card.lastUsedAt = at;
  }
}

/** Spends part of what is left at `at` (spending it all redeems the card then). */
export function spend(card: SimCard, amount: number, at: string): void {
  card.balance = { ...card.balance, amount: card.balance.amount - amount };
  if (card.balance.amount === 0) redeem(card, at);
  else card.lastUsedAt = at;
}

/** What `/check` (and the spending endpoints) answer about a card the issuer knows. */
export function answerFor(card: SimCard) {
  const lastUsed = card.lastUsedAt !== undefined && { lastUsedAt: card.lastUsedAt };
  if (!card.redeemed) return { state: 'active', balance: card.balance, ...lastUsed };
  return {
    state: 'redeemed',
    balance: card.balance,
    ...(card.redeemedAt !== undefined && { redeemedAt: card.redeemedAt }),
    ...lastUsed,
  };
}
