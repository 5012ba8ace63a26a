import type { AnswerSignature } from './issuer-answer.js';
import type { Money } from './money.js';

/** What an issuer can say about one code (docs/design.md "Issuer protocol"). */
export const issuerStates = ['active', 'redeemed', 'invalid'] as const;
export type IssuerState = (typeof issuerStates)[number];

/** What the vault records of an issuer check: the issuer's answer, or that it could not be reached. */
export const recordedIssuerStates = [...issuerStates, 'unreachable'] as const;
export type RecordedIssuerState = (typeof recordedIssuerStates)[number];

/**
 * Why the vault asks (sent with every check, docs/issuer-protocol.md): a deposit, the re-check
 * before a reveal, a buyer's report, or a later re-ask (an escalation, the reveal deadline).
 */
export const issuerCheckPurposes = ['deposit', 'reveal', 'report', 'recheck'] as const;
export type IssuerCheckPurpose = (typeof issuerCheckPurposes)[number];

/** The issuer's answer about one code. */
export interface IssuerCheck {
  readonly state: IssuerState;
  readonly balance?: Money;
  readonly redeemedAt?: string;
  /** The latest spend or redemption, when the issuer says: dates a balance that fell after the reveal. */
  readonly lastUsedAt?: string;
  /** The issuer's signature over this answer, verified, when its brand has an answer key. */
  readonly signature?: AnswerSignature;
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
