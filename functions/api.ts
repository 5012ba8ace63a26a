import { handle } from 'hono/aws-lambda';
import { createKmsEvidenceSigner } from '../shared/adapters/kms/kms-evidence-signer.js';
import { createKmsLinkMac } from '../shared/adapters/kms/kms-link-mac.js';
import { createKmsWebhookSecretCipher } from '../shared/adapters/kms/kms-webhook-secret-cipher.js';
import { endpointUrlPolicy } from '../shared/adapters/webhook-http/endpoint-url-policy.js';
import { loadLambdaConfig } from '../shared/config/config.js';
import { createApp } from '../shared/http/app.js';
import { linkPageRoutes } from '../shared/http/pages/link-page-routes.js';
import { apiKeyRoutes } from '../shared/http/routes/api-key-routes.js';
import { depositOperations } from '../shared/http/routes/deposit-routes.js';
import { escalationRoutes } from '../shared/http/routes/escalation-routes.js';
import { evidenceRoutes } from '../shared/http/routes/evidence-routes.js';
import { linkRoutes } from '../shared/http/routes/link-routes.js';
import { listingRoutes } from '../shared/http/routes/listing-routes.js';
import { orderRoutes } from '../shared/http/routes/order-routes.js';
import { partyRoutes } from '../shared/http/routes/party-routes.js';
import { revealOperations } from '../shared/http/routes/reveal-routes.js';
import { webhookEndpointRoutes } from '../shared/http/routes/webhook-endpoint-routes.js';
import { vaultForApi } from '../shared/services/vault.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { lambdaAdapters } from './support/lambda-adapters.js';

/**
 * Everything that never touches a code's plaintext: no cipher, no issuer, and of KMS only the
 * evidence key's Sign and GetPublicKey, the webhook secret key's Encrypt and GenerateMac on the link key.
 * The one function that writes webhook endpoints (it seals their signing secrets, never opens one).
 */
const config = loadLambdaConfig(['evidenceKeyId', 'webhookSecretKeyId', 'linkKeyId']);
const adapters = lambdaAdapters(config);
const vault = vaultForApi({
  ...adapters,
  // In AWS a webhook URL is https on a public address, always: no setting loosens it.
  endpointUrls: endpointUrlPolicy('aws'),
  // The only function that may sign evidence (kms:Sign on the evidence key, nothing else of KMS).
  evidenceSigner: createKmsEvidenceSigner({ keyId: config.evidenceKeyId }),
  // kms:Encrypt on the webhook secret key only: a secret minted here is sealed before it is stored.
  webhookSecrets: createKmsWebhookSecretCipher({ keyId: config.webhookSecretKeyId }),
  // A reveal page shows "show the code again" only for its own key, which it derives (GenerateMac).
  linkKeys: createKmsLinkMac({ keyId: config.linkKeyId }),
});
const app = createApp({
  tenants: vault.tenants,
  limits: vault.limits,
  logger: adapters.logger,
  health: { database: adapters.databaseProbe() },
  modules: [
    listingRoutes(vault.listings),
    orderRoutes(vault),
    partyRoutes(vault),
    escalationRoutes(vault.escalations),
    webhookEndpointRoutes(vault.webhookEndpoints, vault.webhookDeliveries),
    linkRoutes(vault.links),
    evidenceRoutes(vault.evidence),
    apiKeyRoutes(vault.apiKeys),
  ],
  // The hosted pages' GETs and assets; their forms post to the reveal and deposit functions.
  pages: [linkPageRoutes({ links: vault.links, standing: vault.standing, logger: adapters.logger })],
  // API Gateway sends `/openapi.json` here: the document covers the whole API.
  documentedElsewhere: [...depositOperations, ...revealOperations],
});

export const handler = flushingMetrics(adapters.metrics, handle(app));
