import type { Vault } from '../../services/vault.js';
import type { RouteModule } from '../app.js';
import { depositRoutes } from './deposit-routes.js';
import { escalationRoutes } from './escalation-routes.js';
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
  ] as RouteModule[];
}
