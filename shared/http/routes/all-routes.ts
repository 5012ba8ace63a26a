import type { Logger } from '../../ports/logger.js';
import type { Vault } from '../../services/vault.js';
import type { RouteModule } from '../app.js';
import { depositPageRoutes } from '../pages/deposit-page-routes.js';
import { linkPageRoutes } from '../pages/link-page-routes.js';
import type { PageModule } from '../pages/page-context.js';
import { revealPageRoutes } from '../pages/reveal-page-routes.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { depositRoutes } from './deposit-routes.js';
import { escalationRoutes } from './escalation-routes.js';
import { evidenceRoutes } from './evidence-routes.js';
import { linkRoutes } from './link-routes.js';
import { listingRoutes } from './listing-routes.js';
import { orderRoutes } from './order-routes.js';
import { partyRoutes } from './party-routes.js';
import { revealRoutes } from './reveal-routes.js';
import { webhookEndpointRoutes } from './webhook-endpoint-routes.js';

/** Every route module, for the local stack where one process serves the whole contract. */
export function allRoutes(vault: Vault): RouteModule[] {
  return [
    listingRoutes(vault.listings),
    depositRoutes(vault.deposits),
    orderRoutes(vault),
    revealRoutes(vault),
    partyRoutes(vault),
    escalationRoutes(vault.escalations),
    webhookEndpointRoutes(vault.webhookEndpoints, vault.webhookDeliveries),
    linkRoutes(vault.links),
    evidenceRoutes(vault.evidence),
    apiKeyRoutes(vault.apiKeys),
  ] as RouteModule[];
}

/** Every hosted page, for the local stack (in AWS: GETs on api, reveal and report on reveal, deposit on deposit). */
export function allPages(vault: Vault, logger: Logger): PageModule[] {
  return [
    linkPageRoutes({ links: vault.links, standing: vault.standing, logger }),
    revealPageRoutes({ ...vault, logger }),
    depositPageRoutes({ ...vault, logger }),
  ];
}
