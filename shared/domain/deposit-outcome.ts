/** What a deposit did with one code: stored sellable, refused, or stored until the issuer answers. */
export const depositOutcomes = ['accepted', 'rejected', 'pending'] as const;
export type DepositOutcome = (typeof depositOutcomes)[number];

/** Why a code was refused or left pending. */
export const depositReasons = [
  'already_redeemed',
  'invalid_code',
  'duplicate',
  'format',
  'value_mismatch',
  'issuer_unavailable',
] as const;
export type DepositReason = (typeof depositReasons)[number];
