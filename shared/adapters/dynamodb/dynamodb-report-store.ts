import type { Report } from '../../domain/report.js';
import type { ReportStore } from '../../ports/report-store.js';
import { keys } from './keys.js';
import { eventItem, transitionItems } from './order-items.js';
import { reportSchema } from './party-item-schemas.js';
import { getParsed, putNew, type TableContext } from './table-context.js';
import { type TaggedItem, transactWrite } from './transact.js';

/** Reports live in their order's partition, one per card (so a card is reported once). */
export class DynamoReportStore implements ReportStore {
  constructor(private readonly ctx: TableContext) {}

  async getReport(tenantId: string, orderId: string, cardId: string): Promise<Report | undefined> {
    return getParsed(this.ctx, 'report', reportSchema, keys.report(tenantId, orderId, cardId));
  }

  async recordReport(input: Parameters<ReportStore['recordReport']>[0]) {
    const { report, buyerCreditDelta, transition, event } = input;
    const { tableName } = this.ctx;
    const counter = { upheld: 'upheld', rejected: 'rejected', escalated: 'escalated' }[buyerCreditDelta];
    const rejection = buyerCreditDelta === 'rejected';
    const items: TaggedItem[] = [
      {
        tag: 'report',
        item: putNew(tableName, {
          ...keys.report(report.tenantId, report.orderId, report.cardId),
          entity: 'Report',
          ...report,
        }),
      },
      {
        tag: 'buyer',
        item: {
          Update: {
            TableName: tableName,
            Key: keys.buyer(report.tenantId, report.buyerId),
            UpdateExpression: `SET buyerId = :buyerId, #entity = :entity${
              rejection ? ', rejectionTimes = list_append(if_not_exists(rejectionTimes, :none), :at)' : ''
            } ADD reportsTotal :one, #counter :one`,
            ExpressionAttributeNames: { '#entity': 'entity', '#counter': counter },
            ExpressionAttributeValues: {
              ':buyerId': report.buyerId,
              ':entity': 'Buyer',
              ':one': 1,
              ...(rejection ? { ':none': [], ':at': [report.createdAt] } : {}),
            },
          },
        },
      },
      ...transitionItems(tableName, transition),
      eventItem(tableName, report.tenantId, event),
    ];
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    if (outcome.ok) return 'recorded' as const;
    return outcome.has('report') ? ('already-reported' as const) : ('conflict' as const);
  }
}
