import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectFigures } from '../../bench/collect-figures.js';
import { figure } from '../../bench/figures/figure.js';
import { saleFloor } from '../../bench/figures/sale-floor.js';
import { weightedCeiling } from '../../bench/figures/storage-ceiling.js';
import { type BenchStack, startBenchStack } from '../../bench/support/bench-stack.js';
import { loadBenchConfig } from '../../shared/config/tool-config.js';

describe('bench figures', () => {
  it('computes ratios against positive bounds and judges them by their goal', () => {
    const base = { title: 't', unit: 'u', boundKind: 'floor', boundLabel: 'b', details: {} } as const;
    expect(figure({ ...base, id: 'X', value: 3, bound: 2, goal: { op: '<=', ratio: 1.2 } })).toMatchObject({
      ratio: 1.5,
      met: false,
    });
    expect(figure({ ...base, id: 'Y', value: 3, bound: 4, goal: { op: '>=', ratio: 0.7 } }).met).toBe(true);
    expect(() => figure({ ...base, id: 'Z', value: 1, bound: 0, goal: { op: '<=', ratio: 1 } })).toThrow(
      /floor must be positive/,
    );
  });

  it('weights each bare command rate by the calls a sale makes', () => {
    // 2 gets at 100/s and 1 transaction at 10/s: 0.02 + 0.1 s per sale.
    expect(
      weightedCeiling({ GetItem: 2, TransactWriteItems: 1 }, { GetItem: 100, TransactWriteItems: 10 }),
    ).toBeCloseTo(1 / 0.12);
    expect(() => weightedCeiling({ Scan: 1 }, {})).toThrow(/no bare rate for Scan/);
  });

  it('derives a positive floor from the contract transactions', () => {
    const floor = saleFloor();
    expect(floor.writeUnits).toBeGreaterThan(0);
    expect(floor.readUnits).toBeGreaterThan(0);
    expect(floor.apiRequests).toBe(6);
  });

  describe('on a tiny scale, against DynamoDB Local', () => {
    let bench: BenchStack;
    beforeAll(async () => {
      bench = await startBenchStack({ dynamodbEndpoint: inject('dynamoEndpoint') });
    });
    afterAll(async () => {
      await bench?.stop();
    });

    it('produces every figure, well formed, with per-sale counts from the meter', {
      timeout: 180_000,
    }, async () => {
      const cfg = {
        ...loadBenchConfig({
          BENCH_SCALE: 'quick',
          BENCH_SALES: '3',
          BENCH_CONCURRENCY: '2',
          BENCH_CARDS: '12',
        }),
        reveals: 3,
        orderSamples: 2,
        probeOps: 10,
        bundleRuns: 1,
      };
      const { figures, perSale } = await collectFigures(bench, cfg);
      expect(figures.map((f) => f.id)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5a', 'P5b', 'L1', 'L2']);
      for (const f of figures) {
        expect(Number.isFinite(f.ratio) && f.ratio > 0, `${f.id} ratio ${f.ratio}`).toBe(true);
        expect(f.bound, `${f.id} bound`).toBeGreaterThan(0);
        expect(f.value, `${f.id} value`).toBeGreaterThan(0);
        expect(f.ratio).toBeCloseTo(f.value / f.bound);
      }
      // A sale sends transactions, and the meter bills each of their actions (DynamoDB Local under-reports them).
      expect(perSale.calls.TransactWriteItems).toBeGreaterThan(0);
      expect(perSale.writeUnits).toBeGreaterThanOrEqual(
        2 * perSale.itemsPerTransaction * (perSale.calls.TransactWriteItems ?? 0),
      );
      expect(perSale.readUnits).toBeGreaterThan(0);
      expect(perSale.cipher).toMatchObject({ encrypt: 1, fingerprint: 1, decrypt: 1 });
      expect(perSale.apiRequests).toBe(6);
    });
  });
});
