import { DynamoCatalogStore } from './dynamodb-catalog-store.js';
import { DynamoDepositBudgetStore } from './dynamodb-deposit-budget-store.js';
import { DynamoLinkStore } from './dynamodb-link-store.js';
import { DynamoOrderStore } from './dynamodb-order-store.js';
import { DynamoPartyStore } from './dynamodb-party-store.js';
import { DynamoRateBucketStore } from './dynamodb-rate-bucket-store.js';
import { DynamoReportStore } from './dynamodb-report-store.js';
import { DynamoTenantStore } from './dynamodb-tenant-store.js';
import { DynamoWebhookDeliveryStore } from './dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from './dynamodb-webhook-endpoint-store.js';
import type { TableContext } from './table-context.js';

/** All stores over one table. */
export function createDynamoStores(ctx: TableContext) {
  const catalog = new DynamoCatalogStore(ctx);
  return {
    tenants: new DynamoTenantStore(ctx),
    catalog,
    orders: new DynamoOrderStore(ctx),
    reports: new DynamoReportStore(ctx),
    parties: new DynamoPartyStore(ctx),
    webhookEndpoints: new DynamoWebhookEndpointStore(ctx),
    webhookDeliveries: new DynamoWebhookDeliveryStore(ctx),
    links: new DynamoLinkStore(ctx),
    rateBuckets: new DynamoRateBucketStore(ctx),
    depositBudgets: new DynamoDepositBudgetStore(ctx),
  };
}
