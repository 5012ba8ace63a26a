import { setTimeout as delay } from 'node:timers/promises';
import {
  SANDBOX_BALANCE,
  SANDBOX_CODES,
  SANDBOX_RETRY_AFTER_SECONDS,
  SANDBOX_SLOW_MS,
  SANDBOX_SPENT_BALANCE,
  SANDBOX_USED_AT,
} from '../domain/issuer-sandbox.js';

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
