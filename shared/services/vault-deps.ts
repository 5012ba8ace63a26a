import type { VaultSettings } from '../domain/vault-settings.js';
import type { Clock } from '../ports/clock.js';
import type { CodeCipher } from '../ports/code-cipher.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Issuer } from '../ports/issuer.js';
import type { Logger } from '../ports/logger.js';
import type { CatalogStore, OrderStore, PartyStore, ReportStore, TenantStore } from '../ports/store.js';

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
