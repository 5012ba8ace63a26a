import type { DepositOutcome, DepositReason } from '../domain/deposit-outcome.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { Metrics, RefundMetricReason } from '../ports/metrics.js';

/**
 * Counts what one committed order transition did: payments, reveals, refunds by reason,
 * strikes, suspensions. Called by the runner once the write has landed, never for a lost race,
 * so every order command is counted from one place and exactly once.
 */
export function countCommitted(metrics: Metrics, t: OrderTransition): void {
  for (const event of t.events) {
    if (event.type === 'payment.received') metrics.count({ name: 'Payments' });
    if (event.type === 'order.revealed') metrics.count({ name: 'Reveals' });
  }
  for (const move of t.ledger) {
    if (move.kind === 'refund') metrics.count({ name: 'Refunds', reason: refundReasonOf(t) });
  }
  if (t.penalties.length > 0) metrics.count({ name: 'Strikes' }, t.penalties.length);
  if (t.strikeGuard?.suspension) metrics.count({ name: 'Suspensions' });
}

function refundReasonOf(t: OrderTransition): RefundMetricReason {
  // A whole-order refund names its reason; a card refunded on a report does not.
  if (t.next.refundReason && t.order.refundReason === undefined) return t.next.refundReason;
  return t.unprovenRefund ? 'escalation_default' : 'report_upheld';
}

/** Counts a deposit's per-card results once they are stored (or refused), by outcome and reason. */
export function countDeposits(
  metrics: Metrics,
  results: ReadonlyArray<{ outcome: DepositOutcome; reason?: DepositReason | undefined }>,
): void {
  for (const { outcome, reason } of results) {
    metrics.count(reason ? { name: 'Deposits', outcome, reason } : { name: 'Deposits', outcome });
  }
}
