import type { DueWebhookDelivery } from '../ports/webhook-delivery-store.js';

/** How many attempts one dispatcher holds: in all, per tenant and per endpoint. */
export interface SlotLimits {
  readonly maxInFlight: number;
  readonly perTenantInFlight: number;
  readonly perEndpointInFlight: number;
}

/** Attempts in flight, counted by key (a tenant, an endpoint). */
export class SlotCounts {
  private readonly counts = new Map<string, number>();

  of(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  take(key: string): void {
    this.counts.set(key, this.of(key) + 1);
  }

  give(key: string): void {
    const left = this.of(key) - 1;
    if (left > 0) this.counts.set(key, left);
    else this.counts.delete(key);
  }
}

export interface BusySlots {
  readonly total: number;
  readonly tenants: SlotCounts;
  readonly endpoints: SlotCounts;
  /** Already in flight (this delivery's attempt has not ended). */
  isInFlight(row: DueWebhookDelivery): boolean;
}

export const endpointSlot = (row: Pick<DueWebhookDelivery, 'tenantId' | 'endpointId'>) =>
  `${row.tenantId}#${row.endpointId}`;

/**
 * The due rows to start now, tenants served in turn: one row of each tenant per round (the
 * tenants with the fewest attempts in flight first, then the longest due), until the free slots
 * are used. No tenant goes past `perTenantInFlight` nor an endpoint past `perEndpointInFlight`,
 * so a tenant with many endpoints or a deep backlog takes its share and no more. Within a tenant
 * rows keep their due order (each is the head of its own queue: the order inside a queue is the
 * store's, not this choice's).
 */
export function takeInTurn(
  due: readonly DueWebhookDelivery[],
  busy: BusySlots,
  limits: SlotLimits,
): DueWebhookDelivery[] {
  const byTenant = new Map<string, DueWebhookDelivery[]>();
  for (const row of due) {
    if (busy.isInFlight(row)) continue;
    const rows = byTenant.get(row.tenantId);
    if (rows) rows.push(row);
    else byTenant.set(row.tenantId, [row]);
  }
  // Map order is first appearance, i.e. the tenant's longest-due row; a stable sort keeps it for ties.
  const queue = [...byTenant.keys()].sort((a, b) => busy.tenants.of(a) - busy.tenants.of(b));
  const tenants = new SlotCounts();
  const endpoints = new SlotCounts();
  const taken: DueWebhookDelivery[] = [];
  let free = limits.maxInFlight - busy.total;
  while (free > 0 && queue.length > 0) {
    const tenantId = queue.shift() as string;
    const rows = byTenant.get(tenantId) ?? [];
    if (busy.tenants.of(tenantId) + tenants.of(tenantId) >= limits.perTenantInFlight) continue;
    const at = rows.findIndex(
      (row) =>
        busy.endpoints.of(endpointSlot(row)) + endpoints.of(endpointSlot(row)) < limits.perEndpointInFlight,
    );
    if (at < 0) continue; // every endpoint of this tenant is full
    const [row] = rows.splice(at, 1) as [DueWebhookDelivery];
    taken.push(row);
    tenants.take(tenantId);
    endpoints.take(endpointSlot(row));
    free -= 1;
    if (rows.length > 0) queue.push(tenantId); // back of the line: the others go first
  }
  return taken;
}
