import { createDynamoClients } from '../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../shared/adapters/dynamodb/dynamodb-stores.js';
import { tenantsWithWebhookEndpoints } from '../shared/adapters/dynamodb/webhook-endpoint-tenants.js';
import { ulidIdGenerator } from '../shared/adapters/ids/ulid-id-generator.js';
import { createLocalWebhookSecretCipher } from '../shared/adapters/local-cipher/local-webhook-secret-cipher.js';
import { endpointUrlPolicy } from '../shared/adapters/webhook-http/endpoint-url-policy.js';
import { loadLocalConfig } from '../shared/config/config.js';
import { loadAdminConfig } from '../shared/config/tool-config.js';
import { systemClock } from '../shared/ports/clock.js';
import { WebhookEndpointService } from '../shared/services/webhook-endpoint-service.js';

/**
 * `npm run webhooks:seal-secrets`: the one-off migration of issue 20 on the local stack (its
 * table and key file, as `npm start` uses them). Seals every webhook signing secret a vault from
 * before issue 20 stored in the clear; the tenants' secrets do not change. Safe to run again: it
 * then changes nothing. In AWS only the api function may seal (the key policy denies everyone
 * else), so there a clear secret is sealed by its endpoint's next change through the API
 * (docs/operations.md "Webhook signing secrets").
 */
async function main(): Promise<void> {
  const { tableName, endpoint } = loadAdminConfig();
  const { client, doc } = createDynamoClients({ endpoint });
  try {
    const service = new WebhookEndpointService({
      stores: createDynamoStores({ doc, tableName }),
      clock: systemClock,
      ids: ulidIdGenerator,
      endpointUrls: endpointUrlPolicy('local'),
      webhookSecrets: await createLocalWebhookSecretCipher({ keyFile: loadLocalConfig().localKeyFile }),
    });
    let sealed = 0;
    for (const tenantId of await tenantsWithWebhookEndpoints({ doc, tableName })) {
      sealed += await service.sealClearSecrets(tenantId);
    }
    console.log(`sealed the secrets of ${sealed} webhook endpoint(s) in ${tableName}`);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
