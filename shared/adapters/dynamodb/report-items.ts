import type { Report } from '../../domain/report.js';
import type { BuyerCreditChange } from '../../ports/report-store.js';
import { type Key, keys } from './keys.js';
import type { TaggedItem } from './transact.js';

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

/** The open report as read: replaced only if still open with the same escalation. */
export function putOpenReport(tableName: string, report: Report, previous: Report): TaggedItem {
  return {
    tag: 'report',
    item: {
      Put: {
        TableName: tableName,
        Item: reportItem(report),
        ConditionExpression: '#status = :open AND #esc.#attempts = :attempts AND #esc.#reason = :reason',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#esc': 'escalation',
          '#attempts': 'attempts',
          '#reason': 'reason',
        },
        ExpressionAttributeValues: {
          ':open': 'open',
          ':attempts': previous.escalation?.attempts ?? 0,
          ':reason': previous.escalation?.reason ?? '',
        },
      },
    },
  };
}

/** One update of the buyer's record: counters, and the times the 90-day rules count. */
export function buyerItem(
  tableName: string,
  report: Report,
  change: BuyerCreditChange,
  options: { newReport: boolean; at: string },
): TaggedItem {
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = { ':buyerId': report.buyerId, ':entity': 'Buyer', ':one': 1 };
  const sets = ['buyerId = :buyerId', '#entity = :entity'];
  const adds: string[] = [];
  if (options.newReport) adds.push('reportsTotal :one');
  if (change.delta) {
    names['#counter'] = change.delta;
    adds.push('#counter :one');
  }
  const appendTime = (attribute: string) => {
    values[':none'] = [];
    values[':at'] = [options.at];
    sets.push(`${attribute} = list_append(if_not_exists(${attribute}, :none), :at)`);
  };
  if (change.delta === 'rejected') appendTime('rejectionTimes');
  if (change.unproven) {
    adds.push('unproven :one');
    appendTime('unprovenTimes');
  }
  return {
    tag: 'buyer',
    item: {
      Update: {
        TableName: tableName,
        Key: keys.buyer(report.tenantId, report.buyerId),
        UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
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
        UpdateExpression:
          'SET withdrawnRejectionTimes = list_append(if_not_exists(withdrawnRejectionTimes, :none), :at) ADD rejected :minus, escalated :one',
        ExpressionAttributeValues: { ':none': [], ':at': [at], ':minus': -1, ':one': 1 },
      },
    },
  };
}
