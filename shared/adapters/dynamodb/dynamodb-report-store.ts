import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors.js';
import type { Report } from '../../domain/report.js';
import type { ReportStore } from '../../ports/report-store.js';
import { queryDueShards } from './due-index.js';
import { escalationLevels } from './escalation-levels.js';
import { keys } from './keys.js';
import { transitionItems } from './order-items.js';
import { parseItem } from './parse-item.js';
import { escalationDueSchema, reportRefSchema, reportSchema } from './party-item-schemas.js';
import {
  buyerItem,
  closeOpenReport,
  putOpenReport,
  reopenRejectedReport,
  reportItem,
  reportRefItem,
  withdrawnRejectionItem,
} from './report-items.js';
import { suspicionItems } from './seller-review-items.js';
import { getParsed, putNew, type TableContext } from './table-context.js';
import { SELLER_INDEX } from './table-definition.js';
import { appendedEventItems } from './trail-append.js';
import { type TaggedItem, transactWrite } from './transact.js';

/**
 * Reports live in their order's partition, one per card (so a card is reported once), with a
 * pointer by report id. Open escalations are listed on gsi2 and their deadlines on gsi1.
 */
export class DynamoReportStore implements ReportStore {
  constructor(private readonly ctx: TableContext) {}

  async getReport(tenantId: string, orderId: string, cardId: string): Promise<Report | undefined> {
    return getParsed(this.ctx, 'report', reportSchema, keys.report(tenantId, orderId, cardId));
  }

  async getReportById(tenantId: string, reportId: string): Promise<Report | undefined> {
    const ref = await getParsed(this.ctx, 'report ref', reportRefSchema, keys.reportRef(tenantId, reportId));
    return ref && this.getReport(tenantId, ref.orderId, ref.cardId);
  }

  async recordReport(input: Parameters<ReportStore['recordReport']>[0]) {
    const { report, buyer, transition, event, seller } = input;
    const { tableName } = this.ctx;
    const items: TaggedItem[] = [
      { tag: 'report', item: putNew(tableName, reportItem(report)) },
      { tag: 'reportRef', item: putNew(tableName, reportRefItem(report)) },
      buyerItem(tableName, report, buyer, { newReport: true, at: report.createdAt }),
      ...transitionItems(tableName, transition, [event]),
      ...(seller ? suspicionItems(tableName, report.tenantId, seller) : []),
    ];
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    if (outcome.ok) return 'recorded' as const;
    return outcome.has('report') ? ('already-reported' as const) : ('conflict' as const);
  }

  async updateOpenReport(input: Parameters<ReportStore['updateOpenReport']>[0]) {
    const { tableName } = this.ctx;
    const items = [
      putOpenReport(tableName, input.report, input.previous),
      { tag: 'reportRef', item: { Put: { TableName: tableName, Item: reportRefItem(input.report) } } },
      ...(input.event ? await appendedEventItems(this.ctx, input.report.tenantId, [input.event]) : []),
      ...(input.seller ? suspicionItems(tableName, input.report.tenantId, input.seller) : []),
    ];
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    return outcome.ok ? ('done' as const) : ('conflict' as const);
  }

  async closeReport(input: Parameters<ReportStore['closeReport']>[0]) {
    const { report, buyer, transition, event, seller } = input;
    const { tableName } = this.ctx;
    const items: TaggedItem[] = [
      ...(seller ? suspicionItems(tableName, report.tenantId, seller) : []),
      closeOpenReport(tableName, report),
      // The pointer loses its deadline keys: nothing is left for the sweeper to default.
      { tag: 'reportRef', item: { Put: { TableName: tableName, Item: reportRefItem(report) } } },
      buyerItem(tableName, report, buyer, { newReport: false, at: transition.at }),
      ...transitionItems(tableName, transition, [event]),
    ];
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    if (outcome.ok) return 'closed' as const;
    return outcome.has('report') ? ('not-open' as const) : ('conflict' as const);
  }

  async reopenReport(input: Parameters<ReportStore['reopenReport']>[0]) {
    const { report, transition, event, withdrawnRejectionAt } = input;
    const { tableName } = this.ctx;
    const items: TaggedItem[] = [
      reopenRejectedReport(tableName, report),
      { tag: 'reportRef', item: { Put: { TableName: tableName, Item: reportRefItem(report) } } },
      withdrawnRejectionItem(tableName, report, withdrawnRejectionAt),
      ...transitionItems(tableName, transition, [event]),
    ];
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    if (outcome.ok) return 'reopened' as const;
    return outcome.has('report') ? ('not-rejected' as const) : ('conflict' as const);
  }

  async listOpenEscalations(tenantId: string, limit: number, cursor?: string) {
    const partition = keys.openEscalationsOf(tenantId);
    const page = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        IndexName: SELLER_INDEX,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: startKeyOf(tenantId, cursor) } : {}),
      }),
    );
    const reports = (page.Items ?? []).map((i) =>
      parseItem('report', reportSchema, i, `${SELLER_INDEX} ${partition}`),
    );
    const last = reports.at(-1);
    return {
      reports,
      ...(page.LastEvaluatedKey && last ? { nextCursor: cursorOf(last) } : {}),
    };
  }

  async listEscalationsPastDeadline(now: string, limit: number) {
    const shards = keys.escalationDueShards();
    const rows = await queryDueShards(this.ctx, shards, now, limit, 'tenantId, reportId, gsi1sk');
    return rows
      .map(({ item, where }) => parseItem('escalation deadline', escalationDueSchema, item, where))
      .sort((a, b) => a.gsi1sk.localeCompare(b.gsi1sk))
      .slice(0, limit)
      .map(({ tenantId, reportId }) => ({ tenantId, reportId }));
  }

  escalationLevels() {
    return escalationLevels(this.ctx);
  }
}

/**
 * The cursor names the last report by its place, never by raw table keys: the start key is
 * rebuilt here inside the caller's tenant, so a cursor cannot reach another tenant's partition.
 */
function cursorOf(report: Report): string {
  return Buffer.from(
    JSON.stringify([report.createdAt, report.reportId, report.orderId, report.cardId]),
  ).toString('base64url');
}

function startKeyOf(tenantId: string, cursor: string): Record<string, string> {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === 4 &&
    parts.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 200 && !p.includes('#'));
  if (!valid) throw new ValidationError('cursor is not one this list gave', { cursor: 'invalid' });
  const [createdAt, reportId, orderId, cardId] = parts as [string, string, string, string];
  return {
    ...keys.report(tenantId, orderId, cardId),
    ...keys.openEscalation(tenantId, createdAt, reportId),
  };
}
