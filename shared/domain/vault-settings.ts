/**
 * The vault's timing and policy knobs. They live in the domain, not with the services that take
 * them, so shared/config can give them defaults and parse them without importing any use case.
 */
export const REVALIDATE_MODES = ['best-effort', 'strict', 'off'] as const;

export interface VaultSettings {
  readonly paymentTimeoutSeconds: number;
  readonly disputeWindowSeconds: number;
  readonly revealRetrySeconds: number;
  readonly raceWindowSeconds: number;
  /** `best-effort`: an unreachable issuer does not block the buyer; `strict`: it does; `off`: no re-check. */
  readonly revalidateBeforeReveal: (typeof REVALIDATE_MODES)[number];
}

export const defaultSettings: VaultSettings = {
  paymentTimeoutSeconds: 900,
  disputeWindowSeconds: 86_400,
  revealRetrySeconds: 600,
  raceWindowSeconds: 120,
  revalidateBeforeReveal: 'best-effort',
};
