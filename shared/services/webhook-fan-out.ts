import { isSellerLine } from '../domain/trail-type.js';
import { subjectOf, type TenantTrailLine } from '../domain/webhook-delivery.js';
import { type WebhookEvent, wants, webhookEventsOf } from '../domain/webhook-event.js';
import type { WebhookEndpointRoute } from '../ports/webhook-endpoint-store.js';
import { TenantEndpoints, type WebhookDeps } from './webhook-deps.js';

export interface FanOutResult {
  /** Published events among the lines (unpublished trail types are skipped). */
  readonly events: number;
  readonly queued: number;
  /** Already written for that endpoint: a redelivered stream batch. */
  readonly duplicates: number;
}

/**
 * From trail lines read off the table's stream to delivery items, one per (enabled endpoint that
 * wants the type, event). A tenant without endpoints costs its one (cached) query and no write.
 * Events of one subject are enqueued in id order (the trail's order); subjects run side by
 * side. Only a storage error fails: the stream batch is then retried, and the conditional puts
 * make the retry write nothing twice. An endpoint that is down is the dispatcher's business.
 */
export class WebhookFanOut {
  private readonly endpoints: TenantEndpoints<WebhookEndpointRoute>;

  constructor(private readonly deps: WebhookDeps) {
    // Routing needs no URL or secret: the fan-out reads neither (nor may it, in IAM).
    this.endpoints = new TenantEndpoints(deps, (tenantId) => deps.endpoints.listRoutes(tenantId));
  }

  async handle(lines: readonly TenantTrailLine[]): Promise<FanOutResult> {
    const bySubject = new Map<string, { tenantId: string; event: WebhookEvent; subject: string }[]>();
    let events = 0;
    for (const { tenantId, line } of lines) {
      // A suspension is written on the order's trail and on the seller's with one id: the seller's is published.
      if (isSellerLine(line.type) && line.sellerId === undefined) continue;
      for (const event of webhookEventsOf(tenantId, line)) {
        const subject = subjectOf(event);
        if (!subject) continue;
        events += 1;
        const key = `${tenantId}#${subject}`;
        bySubject.set(key, [...(bySubject.get(key) ?? []), { tenantId, event, subject }]);
      }
    }
    // The trail's order is its ids' order (`EVT#<id>`); the stream does not order the items of
    // one transaction (penalties and the suspension they caused), so a batch is put in id order.
    const groups = [...bySubject.values()].map((g) => g.sort((a, b) => (a.event.id < b.event.id ? -1 : 1)));
    const counts = await Promise.all(groups.map((group) => this.enqueueInOrder(group)));
    return {
      events,
      queued: counts.reduce((n, c) => n + c.queued, 0),
      duplicates: counts.reduce((n, c) => n + c.duplicates, 0),
    };
  }

  private async enqueueInOrder(group: readonly { tenantId: string; event: WebhookEvent; subject: string }[]) {
    let queued = 0;
    let duplicates = 0;
    for (const { tenantId, event, subject } of group) {
      const targets = (await this.endpoints.of(tenantId)).filter(
        (e) => e.status === 'enabled' && wants(e.eventTypes, event.type),
      );
      if (targets.length === 0) continue;
      const payload = JSON.stringify(event);
      const createdAt = this.deps.clock.now().toISOString();
      const outcomes = await Promise.all(
        targets.map((endpoint) =>
          this.deps.deliveries.enqueue({
            tenantId,
            endpointId: endpoint.endpointId,
            eventId: event.id,
            type: event.type,
            subject,
            payload,
            createdAt,
          }),
        ),
      );
      for (const outcome of outcomes) {
        if (outcome === 'duplicate') duplicates += 1;
        else queued += 1;
      }
    }
    return { queued, duplicates };
  }
}
