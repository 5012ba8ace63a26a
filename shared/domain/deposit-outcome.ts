/**
 * What a deposit did with one code: stored sellable, refused, stored until the issuer answers, or
 * neither stored nor sent to the issuer (the seller's budget of rejected codes ran out meanwhile).
 */
export const depositOutcomes = ['accepted', 'rejected', 'pending', 'not_checked'] as const;
export type DepositOutcome = (typeof depositOutcomes)[number];

/** Why a code was refused or left pending. */
export const depositReasons = [
  'already_redeemed',
  'invalid_code',
  'duplicate',
  'format',
  'value_mismatch',
  'issuer_unavailable',
  'deposit_budget_exhausted',
] as const;
export type DepositReason = (typeof depositReasons)[number];
