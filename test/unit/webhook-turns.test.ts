import { describe, expect, it } from 'vitest';
import type { DueWebhookDelivery } from '../../shared/ports/webhook-delivery-store.js';
import { type BusySlots, SlotCounts, takeInTurn } from '../../shared/services/webhook-turns.js';

let n = 0;
const row = (tenantId: string, endpointId = 'whk_1'): DueWebhookDelivery => {
  n += 1;
  return {
    tenantId,
    endpointId,
    eventId: `evt_${n}`,
    dueKey: `2026-01-01T00:00:00.${String(n).padStart(3, '0')}Z`,
  };
};
const idle = (): BusySlots => ({
  total: 0,
  tenants: new SlotCounts(),
  endpoints: new SlotCounts(),
  isInFlight: () => false,
});
const limits = { maxInFlight: 64, perTenantInFlight: 16, perEndpointInFlight: 8 };

describe('takeInTurn', () => {
  it('serves tenants in turn: one row of each per round, whatever the due order', async () => {
    const due = [row('a'), row('a'), row('a'), row('b'), row('c'), row('b')];
    const taken = takeInTurn(due, idle(), { ...limits, maxInFlight: 4 });
    expect(taken.map((r) => r.tenantId)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('gives a tenant with 16 endpoints and 8 due rows each no more than its share', async () => {
    const flood = Array.from({ length: 16 }, (_, e) =>
      Array.from({ length: 8 }, () => row('a', `whk_${e}`)),
    ).flat();
    const late = row('b');
    const taken = takeInTurn([...flood, late], idle(), limits);
    expect(taken.filter((r) => r.tenantId === 'a')).toHaveLength(16);
    expect(taken).toContain(late);
  });

  it('counts what is in flight: a tenant at its share starts nothing, the least busy goes first', async () => {
    const busy = idle();
    for (let i = 0; i < 16; i++) busy.tenants.take('a');
    busy.tenants.take('b');
    const due = [row('a'), row('b'), row('c')];
    const taken = takeInTurn(due, { ...busy, total: 17 }, limits);
    expect(taken.map((r) => r.tenantId)).toEqual(['c', 'b']);
  });

  it('keeps an endpoint within its own slots, and never starts a delivery twice', async () => {
    const busy = idle();
    for (let i = 0; i < 7; i++) busy.endpoints.take('a#whk_1');
    const inFlight = row('a', 'whk_2');
    const due = [row('a'), row('a'), inFlight, row('a', 'whk_3')];
    const taken = takeInTurn(due, { ...busy, isInFlight: (r) => r === inFlight }, limits);
    expect(taken.map((r) => r.endpointId)).toEqual(['whk_1', 'whk_3']);
  });

  it('stops at the free slots', async () => {
    const taken = takeInTurn([row('a'), row('b'), row('c')], { ...idle(), total: 63 }, limits);
    expect(taken).toHaveLength(1);
  });
});
