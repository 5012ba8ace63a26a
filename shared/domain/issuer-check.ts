import type { Money } from './money.js';

/** The issuer's answer about one code (DESIGN.md "Issuer protocol"). */
export interface IssuerCheck {
  readonly state: 'active' | 'redeemed' | 'invalid';
  readonly balance?: Money;
  readonly redeemedAt?: string;
}

/**
 * A code is dead at the reveal re-check when the issuer does not call it active, or calls it
 * active with less than its face value left (spent in part before the sale, F7): the buyer paid
 * for the whole value. An active answer without a balance is not evidence of spending.
 */
export function isCardDeadAtReveal(check: IssuerCheck, faceValue: Money): boolean {
  if (check.state !== 'active') return true;
  const { balance } = check;
  if (balance === undefined) return false;
  return balance.currency !== faceValue.currency || balance.amount < faceValue.amount;
}
