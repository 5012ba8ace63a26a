import type { DepositOutcome, DepositReason } from '../domain/deposit-outcome.js';
import type { ReportDecision } from '../domain/report-decision.js';

/** Why money went back to a buyer: the order's own reasons, then the two report paths. */
export const refundMetricReasons = [
  'code_dead_before_reveal',
  'seller_suspended',
  'report_upheld',
  'escalation_default',
] as const;
export type RefundMetricReason = (typeof refundMetricReasons)[number];

/**
 * What became of one webhook delivery attempt. The dispatcher (issue 9, webhooks) emits it:
 * `delivered` (2xx), `retrying` (failed, another attempt scheduled), `failed` (given up after the
 * retry window, the delivery marked failed).
 */
export const webhookDeliveryOutcomes = ['delivered', 'retrying', 'failed'] as const;
export type WebhookDeliveryOutcome = (typeof webhookDeliveryOutcomes)[number];

/**
 * A business count, with its only dimensions. Every dimension value is a word of a declared
 * vocabulary, never an id or free text: metrics cannot carry a code, a tenant or a seller
 * (cardinality stays a few dozen series per stage).
 */
export type BusinessCount =
  | { readonly name: 'Deposits'; readonly outcome: DepositOutcome; readonly reason?: DepositReason }
  | { readonly name: 'OrdersPlaced' }
  | { readonly name: 'Payments' }
  | { readonly name: 'Reveals' }
  | { readonly name: 'Refunds'; readonly reason: RefundMetricReason }
  | { readonly name: 'Reports'; readonly decision: ReportDecision }
  | { readonly name: 'Strikes' }
  | { readonly name: 'Suspensions' }
  /** A seller's deposits locked: the budget of rejected codes spent (deposit-budget.ts). */
  | { readonly name: 'DepositLocks' }
  | { readonly name: 'WebhookDeliveries'; readonly outcome: WebhookDeliveryOutcome };

/** A level measured once per sweeper run, not a count of events. */
export type BusinessGauge =
  | { readonly name: 'OpenEscalations'; readonly unit: 'Count' }
  | { readonly name: 'OldestEscalationAge'; readonly unit: 'Seconds' };

export const countNames = [
  'Deposits',
  'OrdersPlaced',
  'Payments',
  'Reveals',
  'Refunds',
  'Reports',
  'Strikes',
  'Suspensions',
  'DepositLocks',
  'WebhookDeliveries',
] as const satisfies readonly BusinessCount['name'][];
export const gaugeNames = [
  'OpenEscalations',
  'OldestEscalationAge',
] as const satisfies readonly BusinessGauge['name'][];

/**
 * Business metrics. Services call it once a change has committed (never before, never per
 * attempt), so a retry after a lost race counts nothing twice. Adapters buffer; the entry point
 * flushes once per invocation (Lambda) or per minute (the local stack).
 */
export interface Metrics {
  count(metric: BusinessCount, value?: number): void;
  gauge(metric: BusinessGauge, value: number): void;
  /** Writes what was buffered and empties the buffer. */
  flush(): void;
}

/** Metrics that go nowhere: for callers that measure nothing (admin CLI, unit tests). */
export const noMetrics: Metrics = { count() {}, gauge() {}, flush() {} };
