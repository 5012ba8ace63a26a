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
}

/** A redeemed card has nothing left; `at` undefined when the issuer "does not say" when (F5). */
export function redeem(card: SimCard, at: string | undefined): void {
  card.redeemed = true;
  card.balance = { ...card.balance, amount: 0 };
  if (at === undefined) delete card.redeemedAt;
  else card.redeemedAt = at;
}

/** What `/check` (and the spending endpoints) answer about a card the issuer knows. */
export function answerFor(card: SimCard) {
  if (!card.redeemed) return { state: 'active', balance: card.balance };
  return {
    state: 'redeemed',
    balance: card.balance,
    ...(card.redeemedAt !== undefined && { redeemedAt: card.redeemedAt }),
  };
}
