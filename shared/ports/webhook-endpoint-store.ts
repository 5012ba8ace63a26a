import type { WebhookEndpoint } from '../domain/webhook-endpoint.js';

/** What routing an event to endpoints needs: no URL, no signing secret. */
export type WebhookEndpointRoute = Pick<WebhookEndpoint, 'endpointId' | 'status' | 'eventTypes'>;

/** A tenant's webhook endpoints. Implementation: DynamoDB, one partition per tenant. */
export interface WebhookEndpointStore {
  /** Fails with `WebhookEndpointExistsError` if the id is taken (ids are never reused). */
  create(endpoint: WebhookEndpoint): Promise<void>;
  get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | undefined>;
  /** Every endpoint of a tenant: one query, so the dispatcher can look them up per event. */
  list(tenantId: string): Promise<WebhookEndpoint[]>;
  /**
   * Every endpoint of a tenant, only as far as routing needs (the fan-out's one query): IAM lets
   * the fan-out read these attributes and no other (`dynamodb:Attributes`, infra/function-specs.ts).
   */
  listRoutes(tenantId: string): Promise<WebhookEndpointRoute[]>;
  /**
   * Replaces an existing endpoint; answers false if it was deleted meanwhile, or, given `read`
   * (the endpoint exactly as stored when the replacement was made from it), if it changed since:
   * a replacement made from a stale read must never drop a secret a tenant was just shown, nor
   * another change. The caller reads again and re-applies.
   */
  replace(endpoint: WebhookEndpoint, read?: WebhookEndpoint): Promise<boolean>;
  delete(tenantId: string, endpointId: string): Promise<void>;
}
