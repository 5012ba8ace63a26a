import type { Money } from './money.js';

/** The issuer's answer about one code (DESIGN.md "Issuer protocol"). */
export interface IssuerCheck {
  readonly state: 'active' | 'redeemed' | 'invalid';
  readonly balance?: Money;
  readonly redeemedAt?: string;
}
