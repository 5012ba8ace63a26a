import { setTimeout as delay } from 'node:timers/promises';

/**
 * The sandbox's magic codes (docs/issuer-protocol.md "Sandbox"): each makes the issuer answer one
 * of the protocol's cases on purpose, for any brand, so an integrator (and the conformance kit)
 * can see every outcome without staging it. Codes in canonical form; only a sandbox knows them.
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

/**
 * Deliberate faults, each breaking the one case it names, to prove the conformance kit catches it:
 * `no-last-used` (partly spent without `lastUsedAt`), `no-redeemed-at` (redeemed with a time
 * answers without it), `invalid-as-404`, `not-slow`, `no-retry-after`, `error-as-200` and
 * `good-signature` (the bad-signature code signed correctly).
 */
export const simBrokenModes = [
  'no-last-used',
  'no-redeemed-at',
  'invalid-as-404',
  'not-slow',
  'no-retry-after',
  'error-as-200',
  'good-signature',
] as const;
export type SimBrokenMode = (typeof simBrokenModes)[number];

/** What the sandbox answers for a magic code: a body to sign, or a bare status. */
export type SandboxAnswer =
  | { readonly kind: 'answer'; readonly body: object; readonly forgeSignature?: boolean }
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string> };

/** The answer for `code`, or undefined when it is not a magic code (then the card store answers). */
export async function sandboxAnswer(
  code: string,
  broken: ReadonlySet<SimBrokenMode>,
): Promise<SandboxAnswer | undefined> {
  const answer = (body: object, forgeSignature = false): SandboxAnswer => ({
    kind: 'answer',
    body,
    forgeSignature,
  });
  switch (code) {
    case SANDBOX_CODES.active:
      return answer({ state: 'active', balance: SANDBOX_BALANCE });
    case SANDBOX_CODES.partlySpent:
      return answer({
        state: 'active',
        balance: SANDBOX_SPENT_BALANCE,
        ...(!broken.has('no-last-used') && { lastUsedAt: SANDBOX_USED_AT }),
      });
    case SANDBOX_CODES.redeemed:
      return answer({
        state: 'redeemed',
        balance: { ...SANDBOX_BALANCE, amount: 0 },
        ...(!broken.has('no-redeemed-at') && { redeemedAt: SANDBOX_USED_AT }),
        lastUsedAt: SANDBOX_USED_AT,
      });
    case SANDBOX_CODES.redeemedNoTime:
      return answer({ state: 'redeemed', balance: { ...SANDBOX_BALANCE, amount: 0 } });
    case SANDBOX_CODES.invalid:
      return broken.has('invalid-as-404') ? { kind: 'status', status: 404 } : answer({ state: 'invalid' });
    case SANDBOX_CODES.slow:
      if (!broken.has('not-slow')) await delay(SANDBOX_SLOW_MS);
      return answer({ state: 'active', balance: SANDBOX_BALANCE });
    case SANDBOX_CODES.throttled:
      return broken.has('no-retry-after')
        ? { kind: 'status', status: 429 }
        : { kind: 'status', status: 429, headers: { 'retry-after': String(SANDBOX_RETRY_AFTER_SECONDS) } };
    case SANDBOX_CODES.serverError:
      return broken.has('error-as-200')
        ? answer({ state: 'active', balance: SANDBOX_BALANCE })
        : { kind: 'status', status: 500 };
    case SANDBOX_CODES.badSignature:
      return answer({ state: 'active', balance: SANDBOX_BALANCE }, !broken.has('good-signature'));
    default:
      return undefined;
  }
}
