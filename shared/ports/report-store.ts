import type { BuyerCreditDelta } from '../domain/buyer-credit.js';
import type { OrderEvent } from '../domain/order-event.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { Report } from '../domain/report.js';

/** Buyers' reports, stored with the order's transition and the buyer's credit in one transaction. */
export interface ReportStore {
  getReport(tenantId: string, orderId: string, cardId: string): Promise<Report | undefined>;
  /** Stores the report, updates buyer credit and, when upheld, applies the refund and penalty. */
  recordReport(input: {
    report: Report;
    buyerCreditDelta: BuyerCreditDelta;
    /** The order's change (refund, or the report noted on its version). */
    transition: OrderTransition;
    event: OrderEvent;
  }): Promise<'recorded' | 'already-reported' | 'conflict'>;
}
