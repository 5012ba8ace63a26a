import { type Report, reportStatuses } from '../../domain/report.js';
import { reportDecisions } from '../../domain/report-decision.js';
import type { BuyerCreditChange } from '../../ports/report-store.js';
import { type Condition, equals, expression } from './expression.js';
import { type Key, keys } from './keys.js';
import type { TaggedItem } from './transact.js';
import { words } from './vocabulary.js';

const REPORT = words(reportStatuses);
const DECISION = words(reportDecisions);

/**
 * The report item with its index keys derived from its status: on the tenant's list of open
 * escalations while open, and on the recheck index while the issuer is being re-asked.
 */
export function reportItem(report: Report): Record<string, unknown> & Key {
  const open = report.status === 'open';
  const reask =
    open && report.escalation?.reason === 'issuer_unavailable' ? report.escalation.nextCheckAt : undefined;
  return {
    ...keys.report(report.tenantId, report.orderId, report.cardId),
    entity: 'Report',
    ...report,
    ...(open ? keys.openEscalation(report.tenantId, report.createdAt, report.reportId) : {}),
    ...(reask ? keys.recheck(report.reportId, reask) : {}),
  };
}

/** The pointer from the report's id; it carries the escalation's deadline while the report is open. */
export function reportRefItem(report: Report): Record<string, unknown> & Key {
  const deadline = report.status === 'open' ? report.escalation?.deadline : undefined;
  return {
    ...keys.reportRef(report.tenantId, report.reportId),
    entity: 'ReportRef',
    tenantId: report.tenantId,
    reportId: report.reportId,
    orderId: report.orderId,
    cardId: report.cardId,
    ...(deadline ? keys.escalationDue(report.reportId, deadline) : {}),
  };
}

/** The report, replaced only while the stored one meets `conditions` (as the writer read it). */
function putReportIf(tableName: string, report: Report, ...conditions: Condition[]): TaggedItem {
  return {
    tag: 'report',
    item: {
      Put: {
        TableName: tableName,
        Item: reportItem(report),
        ...expression()
          .when(...conditions)
          .buildCondition(),
      },
    },
  };
}

/** The open report as read: replaced only if still open with the same escalation. */
export function putOpenReport(tableName: string, report: Report, previous: Report): TaggedItem {
  return putReportIf(
    tableName,
    report,
    equals('status', REPORT.open),
    equals('escalation.attempts', previous.escalation?.attempts ?? 0),
    equals('escalation.reason', previous.escalation?.reason ?? ''),
  );
}

/** The report closed: only if it is still open (`not-open` otherwise). */
export function closeOpenReport(tableName: string, report: Report): TaggedItem {
  return putReportIf(tableName, report, equals('status', REPORT.open));
}

/** The report reopened: only if it is still a closed rejection (`not-rejected` otherwise). */
export function reopenRejectedReport(tableName: string, report: Report): TaggedItem {
  return putReportIf(
    tableName,
    report,
    equals('status', REPORT.closed),
    equals('decision', DECISION.rejected),
  );
}

/** One update of the buyer's record: counters, and the times the 90-day rules count. */
export function buyerItem(
  tableName: string,
  report: Report,
  change: BuyerCreditChange,
  options: { newReport: boolean; at: string },
): TaggedItem {
  const update = expression().set('buyerId', report.buyerId).set('entity', 'Buyer');
  if (options.newReport) update.add('reportsTotal', 1);
  if (change.delta) update.add(change.delta, 1);
  if (change.delta === 'rejected') update.append('rejectionTimes', [options.at]);
  if (change.unproven) update.add('unproven', 1).append('unprovenTimes', [options.at]);
  return {
    tag: 'buyer',
    item: {
      Update: {
        TableName: tableName,
        Key: keys.buyer(report.tenantId, report.buyerId),
        ...update.buildUpdate(),
      },
    },
  };
}

/** A rejection withdrawn by a reopened report: one rejection less, one escalation more, its time no longer counted. */
export function withdrawnRejectionItem(tableName: string, report: Report, at: string): TaggedItem {
  return {
    tag: 'buyer',
    item: {
      Update: {
        TableName: tableName,
        Key: keys.buyer(report.tenantId, report.buyerId),
        ...expression()
          .append('withdrawnRejectionTimes', [at])
          .add('rejected', -1)
          .add('escalated', 1)
          .buildUpdate(),
      },
    },
  };
}
