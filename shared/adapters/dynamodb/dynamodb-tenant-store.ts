import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, ApiKeyRevocation } from '../../domain/api-key.js';
import type { Brand } from '../../domain/brand.js';
import { ConcurrentUpdateError, NotFoundError } from '../../domain/errors.js';
import type { RatePolicy } from '../../domain/rate-limit.js';
import type { Tenant } from '../../domain/tenant.js';
import type { TenantStore } from '../../ports/tenant-store.js';
import { apiKeySchema, brandSchema, tenantSchema } from './catalog-item-schemas.js';
import { equals, exists, expression } from './expression.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getParsed, putNew, queryItems, type TableContext } from './table-context.js';
import { SELLER_INDEX } from './table-definition.js';
import { transactWrite } from './transact.js';

/** Tenants (marketplaces), their API keys (hashed) and the brands the deployment accepts. */
export class DynamoTenantStore implements TenantStore {
  constructor(private readonly ctx: TableContext) {}

  async createTenant(tenant: Tenant, apiKey: ApiKeyRecord): Promise<void> {
    const { tableName } = this.ctx;
    const outcome = await transactWrite(this.ctx.doc, [
      {
        tag: 'tenant',
        item: putNew(tableName, { ...keys.tenant(tenant.tenantId), entity: 'Tenant', ...tenant }),
      },
      {
        tag: 'apiKey',
        item: putNew(tableName, apiKeyItem({ ...apiKey, tenantId: tenant.tenantId })),
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

  async putApiKey(apiKey: ApiKeyRecord): Promise<void> {
    try {
      await this.ctx.doc.send(new PutCommand(putNew(this.ctx.tableName, apiKeyItem(apiKey)).Put));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError('the API key id already exists', {}, { cause: error });
      }
      throw error;
    }
  }

  async listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
    const found: ApiKeyRecord[] = [];
    for await (const item of queryItems(this.ctx, {
      IndexName: SELLER_INDEX,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.tenantApiKeysOf(tenantId) },
    })) {
      found.push(parseItem('api key', apiKeySchema, item, String(item.pk)));
    }
    return found;
  }

  async touchApiKey(keyId: string, at: string): Promise<void> {
    // Names the key and `lastUsedAt` only: all that the deposit and reveal functions may write here.
    const update = expression().when(exists('pk')).set('lastUsedAt', at);
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.apiKey(keyId),
          ...update.buildUpdate(),
        }),
      );
    } catch (error) {
      // Revoked meanwhile: nothing to record.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async deleteApiKey(keyId: string, tenantId?: string): Promise<boolean> {
    const condition = tenantId === undefined ? undefined : expression().when(equals('tenantId', tenantId));
    try {
      await this.ctx.doc.send(
        new DeleteCommand({
          TableName: this.ctx.tableName,
          Key: keys.apiKey(keyId),
          ...(condition ? condition.buildCondition() : {}),
        }),
      );
      return true;
    } catch (error) {
      // Another tenant's key, or none: the same answer, so no tenant learns another's key ids.
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordKeyRevocation(line: ApiKeyRevocation): Promise<void> {
    await this.ctx.doc.send(
      new PutCommand(
        putNew(this.ctx.tableName, {
          ...keys.keyTrailLine(line.tenantId, line.eventId),
          entity: 'KeyTrailLine',
          type: 'api_key.revoked',
          ...line,
          links: [...line.links],
          webhookEndpoints: [...line.webhookEndpoints],
        }).Put,
      ),
    );
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

/** The key item: found by its id, listed under its tenant (gsi2). Only the secret's hash is kept. */
function apiKeyItem(apiKey: ApiKeyRecord) {
  return {
    ...keys.apiKey(apiKey.keyId),
    ...keys.tenantApiKey(apiKey.tenantId, apiKey.createdAt, apiKey.keyId),
    entity: 'ApiKey',
    keyId: apiKey.keyId,
    tenantId: apiKey.tenantId,
    secretHash: apiKey.secretHash,
    scopes: [...apiKey.scopes],
    ...(apiKey.description === undefined ? {} : { description: apiKey.description }),
    createdAt: apiKey.createdAt,
  };
}
