import { InvalidStateError, NotFoundError } from '../domain/errors.js';
import type { WebhookDelivery } from '../domain/webhook-delivery.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryPage, WebhookDeliveryStore } from '../ports/webhook-delivery-store.js';
import type { WebhookEndpointStore } from '../ports/webhook-endpoint-store.js';

/**
 * What a tenant may do with an endpoint's deliveries (for the routes the API adds): list them,
 * newest first, each with its attempts, and send one again.
 */
export class WebhookDeliveryService {
  constructor(
    private readonly deps: {
      readonly endpoints: Pick<WebhookEndpointStore, 'get'>;
      readonly deliveries: WebhookDeliveryStore;
      readonly clock: Clock;
    },
  ) {}

  async list(
    tenantId: string,
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<DeliveryPage> {
    await this.endpointOf(tenantId, endpointId);
    return this.deps.deliveries.listByEndpoint(tenantId, endpointId, page);
  }

  /**
   * Puts a delivered or failed delivery back on the due index now, with a fresh retry window. It
   * goes out on its own, outside its order's queue: the receiver asked for this one event, and a
   * later event of the order already delivered is not held back for it.
   */
  async sendAgain(tenantId: string, endpointId: string, eventId: string): Promise<WebhookDelivery> {
    await this.endpointOf(tenantId, endpointId);
    const outcome = await this.deps.deliveries.sendAgain(
      tenantId,
      endpointId,
      eventId,
      this.deps.clock.now().toISOString(),
    );
    if (outcome === 'not-found') throw new NotFoundError('no such delivery');
    if (outcome === 'not-finished') throw new InvalidStateError('the delivery is still being attempted');
    const delivery = await this.deps.deliveries.get(tenantId, endpointId, eventId);
    if (!delivery) throw new NotFoundError('no such delivery');
    return delivery;
  }

  private async endpointOf(tenantId: string, endpointId: string) {
    const endpoint = await this.deps.endpoints.get(tenantId, endpointId);
    if (!endpoint) throw new NotFoundError('no such webhook endpoint');
    return endpoint;
  }
}
