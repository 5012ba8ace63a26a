/**
 * The sandbox's magic codes (docs/issuer-protocol.md "Sandbox"): each makes the issuer answer one
 * of the protocol's cases on purpose, for any brand, so an integrator (and the conformance kit)
 * can see every outcome without staging it. Codes in canonical form; only a sandbox knows them.
 * Declared here, once, for the simulator that answers them and the conformance kit that asks.
 */
export const SANDBOX_CODES = {
  active: 'CVTESTACTIVE',
  partlySpent: 'CVTESTSPENT',
  redeemed: 'CVTESTREDEEMED',
  redeemedNoTime: 'CVTESTREDEEMEDNOTIME',
  invalid: 'CVTESTINVALID',
  slow: 'CVTESTSLOW',
  throttled: 'CVTESTTHROTTLED',
  serverError: 'CVTESTERROR',
  badSignature: 'CVTESTBADSIGNATURE',
} as const;
export type SandboxCase = keyof typeof SANDBOX_CODES;

/** The fixed times and amounts the magic codes answer with. */
export const SANDBOX_BALANCE = { amount: 5000, currency: 'EUR' } as const;
export const SANDBOX_SPENT_BALANCE = { amount: 2000, currency: 'EUR' } as const;
export const SANDBOX_USED_AT = '2026-01-15T10:00:00.000Z';
/** How long the slow code holds its answer: past the vault's 2 s timeout. */
export const SANDBOX_SLOW_MS = 2500;
export const SANDBOX_RETRY_AFTER_SECONDS = 1;
