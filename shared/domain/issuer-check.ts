import type { Money } from './money.js';

/** What an issuer can say about one code (docs/design.md "Issuer protocol"). */
export const issuerStates = ['active', 'redeemed', 'invalid'] as const;
export type IssuerState = (typeof issuerStates)[number];

/** What the vault records of an issuer check: the issuer's answer, or that it could not be reached. */
export const recordedIssuerStates = [...issuerStates, 'unreachable'] as const;
export type RecordedIssuerState = (typeof recordedIssuerStates)[number];

/** The issuer's answer about one code. */
export interface IssuerCheck {
  readonly state: IssuerState;
  readonly balance?: Money;
  readonly redeemedAt?: string;
}
