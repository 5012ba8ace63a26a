import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Brand } from '../../domain/brand.js';
import { ConcurrentUpdateError, NotFoundError } from '../../domain/errors.js';
import type { RatePolicy } from '../../domain/rate-limit.js';
import type { Tenant } from '../../domain/tenant.js';
import type { TenantStore } from '../../ports/tenant-store.js';
import { apiKeySchema, brandSchema, tenantSchema } from './catalog-item-schemas.js';
import { exists, expression } from './expression.js';
import { keys } from './keys.js';
import { getParsed, putNew, type TableContext } from './table-context.js';
import { transactWrite } from './transact.js';

/** Tenants (marketplaces), their API keys (hashed) and the brands the deployment accepts. */
export class DynamoTenantStore implements TenantStore {
  constructor(private readonly ctx: TableContext) {}

  async createTenant(tenant: Tenant, apiKey: { keyId: string; secretHash: string }): Promise<void> {
    const { tableName } = this.ctx;
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'tenant',
        item: putNew(tableName, { ...keys.tenant(tenant.tenantId), entity: 'Tenant', ...tenant }),
      },
      {
        tag: 'apiKey',
        item: putNew(tableName, {
          ...keys.apiKey(apiKey.keyId),
          entity: 'ApiKey',
          tenantId: tenant.tenantId,
          ...apiKey,
        }),
      },
    ]);
    if (!outcome.ok) throw new ConcurrentUpdateError('the tenant or API key id already exists', {});
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    return getParsed(this.ctx, 'tenant', tenantSchema, keys.tenant(tenantId));
  }

  async setRateLimit(tenantId: string, policy: RatePolicy | undefined): Promise<void> {
    const update = expression().when(exists('tenantId'));
    if (policy) update.set('rateLimit', { ratePerSecond: policy.ratePerSecond, burst: policy.burst });
    else update.remove('rateLimit');
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.tenant(tenantId),
          ...update.buildUpdate(),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError(`no tenant ${tenantId}`);
      throw error;
    }
  }

  async findApiKey(keyId: string) {
    return getParsed(this.ctx, 'api key', apiKeySchema, keys.apiKey(keyId));
  }

  async deleteApiKey(keyId: string): Promise<void> {
    await this.ctx.doc.send(new DeleteCommand({ TableName: this.ctx.tableName, Key: keys.apiKey(keyId) }));
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
    return getParsed(this.ctx, 'brand', brandSchema, keys.brand(brand));
  }
}
