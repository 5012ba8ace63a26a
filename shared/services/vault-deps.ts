import type { VaultSettings } from '../domain/vault-settings.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { Clock } from '../ports/clock.js';
import type { CodeCipher, CodeOpener, CodeSealer } from '../ports/code-cipher.js';
import type { DepositBudgetStore } from '../ports/deposit-budget-store.js';
import type { EndpointUrlPolicy } from '../ports/endpoint-url-policy.js';
import type { EvidenceSigner } from '../ports/evidence-signer.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Issuer } from '../ports/issuer.js';
import type { LinkKeyMac } from '../ports/link-key-mac.js';
import type { LinkStore } from '../ports/link-store.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { OrderStore } from '../ports/order-store.js';
import type { PartyStore } from '../ports/party-store.js';
import type { RateBucketStore } from '../ports/rate-bucket-store.js';
import type { ReportStore } from '../ports/report-store.js';
import type { TenantStore } from '../ports/tenant-store.js';
import type { WebhookDeliveryStore } from '../ports/webhook-delivery-store.js';
import type { WebhookEndpointStore } from '../ports/webhook-endpoint-store.js';
import type { WebhookSecretSealer } from '../ports/webhook-secret-cipher.js';

export interface VaultStores {
  readonly tenants: TenantStore;
  readonly catalog: CatalogStore;
  readonly orders: OrderStore;
  readonly reports: ReportStore;
  readonly parties: PartyStore;
  readonly webhookEndpoints: WebhookEndpointStore;
  /** An endpoint's deliveries, for the tenant's list and send-again (the dispatcher has its own wiring). */
  readonly webhookDeliveries: WebhookDeliveryStore;
  /** Hosted reveal and deposit links, found by their token's hash. */
  readonly links: LinkStore;
  /** Token buckets of the rate limits, shared by every process. */
  readonly rateBuckets: RateBucketStore;
  /** Sellers' budgets of rejected codes (deposit-budget.ts). */
  readonly depositBudgets: DepositBudgetStore;
}

/** The ports every use case may use: no cipher, no issuer (the api and sweeper functions). */
export interface CoreDeps {
  readonly stores: VaultStores;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** Business metrics, counted after each commit (see `ports/metrics.ts`). */
  readonly metrics: Metrics;
  readonly settings: VaultSettings;
  /**
   * Derives a reveal link's page key (link-service.ts): the functions that serve a reveal page
   * (api, reveal) have it; deposit and sweeper never need it.
   */
  readonly linkKeys?: LinkKeyMac;
}

/**
 * The api function: the core, the rule for webhook URLs (`aws` mode in Lambda), the one key
 * that signs evidence bundles (no other function may sign), and the sealing half of the webhook
 * secret key (it mints secrets and never opens one: the dispatcher does).
 */
export interface ApiDeps extends CoreDeps {
  readonly endpointUrls: EndpointUrlPolicy;
  readonly evidenceSigner: EvidenceSigner;
  readonly webhookSecrets: WebhookSecretSealer;
  readonly linkKeys: LinkKeyMac;
}

/** Deposits seal and fingerprint codes and ask the issuer; they never open a code. */
export interface DepositDeps extends CoreDeps {
  readonly cipher: CodeSealer;
  readonly issuer: Issuer;
}

/** Reveal and reports open codes and ask the issuer. */
export interface RevealDeps extends CoreDeps {
  readonly cipher: CodeOpener;
  readonly issuer: Issuer;
  readonly linkKeys: LinkKeyMac;
}

/** Everything, for one process serving the whole contract (the local stack). */
export interface VaultDeps extends ApiDeps {
  readonly cipher: CodeCipher;
  readonly issuer: Issuer;
}
