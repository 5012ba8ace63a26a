import { DynamoCatalogStore } from './dynamodb-catalog-store.js';
import { DynamoOrderStore } from './dynamodb-order-store.js';
import { DynamoPartyStore } from './dynamodb-party-store.js';
import type { TableContext } from './table-context.js';

/** All stores over one table. */
export function createDynamoStores(ctx: TableContext) {
  const catalog = new DynamoCatalogStore(ctx);
  const orders = new DynamoOrderStore(ctx);
  return { tenants: catalog, catalog, orders, reports: orders, parties: new DynamoPartyStore(ctx) };
}
