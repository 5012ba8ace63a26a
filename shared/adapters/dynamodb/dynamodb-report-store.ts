import type { Report } from '../../domain/entities.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { ReportStore } from '../../ports/store.js';
import { reportSchema } from './item-schemas.js';
import { keys } from './keys.js';
import { eventItem, transitionItems } from './order-items.js';
import { getParsed, type TableContext } from './table-context.js';
import { ConditionsFailedError, type TaggedItem, transactWrite } from './transact.js';

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
        item: {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.report(report.tenantId, report.orderId, report.cardId),
              entity: 'Report',
              ...report,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
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
    try {
      await transactWrite(this.ctx.doc, items);
      return 'recorded' as const;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return 'conflict' as const;
      if (!(error instanceof ConditionsFailedError)) throw error;
      return error.has('report') ? ('already-reported' as const) : ('conflict' as const);
    }
  }
}
