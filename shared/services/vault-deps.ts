import type { CatalogStore } from '../ports/catalog-store.js';
import type { Clock } from '../ports/clock.js';
import type { CodeCipher } from '../ports/code-cipher.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Issuer } from '../ports/issuer.js';
import type { Logger } from '../ports/logger.js';
import type { OrderStore } from '../ports/order-store.js';
import type { PartyStore } from '../ports/party-store.js';
import type { ReportStore } from '../ports/report-store.js';
import type { TenantStore } from '../ports/tenant-store.js';

/** Timing and policy knobs (DESIGN.md "Local stack and configuration"). */
export interface VaultSettings {
  readonly paymentTimeoutSeconds: number;
  readonly disputeWindowSeconds: number;
  readonly revealRetrySeconds: number;
  readonly raceWindowSeconds: number;
  /** `best-effort`: an unreachable issuer does not block the buyer; `strict`: it does; `off`: no re-check. */
  readonly revalidateBeforeReveal: 'best-effort' | 'strict' | 'off';
}

export const defaultSettings: VaultSettings = {
  paymentTimeoutSeconds: 900,
  disputeWindowSeconds: 86_400,
  revealRetrySeconds: 600,
  raceWindowSeconds: 120,
  revalidateBeforeReveal: 'best-effort',
};

export interface VaultStores {
  readonly tenants: TenantStore;
  readonly catalog: CatalogStore;
  readonly orders: OrderStore;
  readonly reports: ReportStore;
  readonly parties: PartyStore;
}

/**
 * Everything the use cases need, as ports. A Lambda function wires only what its routes use
 * (the api function gets no cipher able to decrypt; see functions/).
 */
export interface VaultDeps {
  readonly stores: VaultStores;
  readonly cipher: CodeCipher;
  readonly issuer: Issuer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly settings: VaultSettings;
}
