import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Brand } from '../../domain/brand.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { Tenant } from '../../domain/tenant.js';
import type { TenantStore } from '../../ports/tenant-store.js';
import { keys, stripLayout } from './keys.js';
import { getItem, putNew, type TableContext } from './table-context.js';
import { ConditionsFailedError, transactWrite } from './transact.js';

/** Tenants (marketplaces), their API keys (hashed) and the brands the deployment accepts. */
export class DynamoTenantStore implements TenantStore {
  constructor(private readonly ctx: TableContext) {}

  async createTenant(tenant: Tenant, apiKey: { keyId: string; secretHash: string }): Promise<void> {
    try {
      await transactWrite(this.ctx.doc, [
        {
          tag: 'tenant',
          item: putNew(this.ctx, { ...keys.tenant(tenant.tenantId), entity: 'Tenant', ...tenant }),
        },
        {
          tag: 'apiKey',
          item: putNew(this.ctx, {
            ...keys.apiKey(apiKey.keyId),
            entity: 'ApiKey',
            tenantId: tenant.tenantId,
            ...apiKey,
          }),
        },
      ]);
    } catch (error) {
      if (error instanceof ConditionsFailedError) {
        throw new ConcurrentUpdateError('the tenant or API key id already exists', {}, { cause: error });
      }
      throw error;
    }
  }

  async findApiKey(keyId: string) {
    const item = await getItem(this.ctx, keys.apiKey(keyId));
    return item ? { tenantId: String(item.tenantId), secretHash: String(item.secretHash) } : undefined;
  }

  async putBrand(brand: Brand): Promise<void> {
    await this.ctx.doc.send(
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: { ...keys.brand(brand.brand), entity: 'Brand', ...brand },
      }),
    );
  }

  async getBrand(brand: string): Promise<Brand | undefined> {
    const item = await getItem(this.ctx, keys.brand(brand));
    return item && stripLayout<Brand>(item);
  }
}
