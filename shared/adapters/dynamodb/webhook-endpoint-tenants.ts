import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from './table-context.js';

/**
 * Every tenant holding a webhook endpoint: a Scan, for one-off operator tasks on a local table
 * only (`npm run webhooks:seal-secrets`). No function's role may Scan.
 */
export async function tenantsWithWebhookEndpoints(ctx: TableContext): Promise<Set<string>> {
  const tenants = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.doc.send(
      new ScanCommand({
        TableName: ctx.tableName,
        FilterExpression: '#entity = :entity',
        ProjectionExpression: 'tenantId',
        ExpressionAttributeNames: { '#entity': 'entity' },
        ExpressionAttributeValues: { ':entity': 'WebhookEndpoint' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) if (typeof item.tenantId === 'string') tenants.add(item.tenantId);
    start = page.LastEvaluatedKey;
  } while (start);
  return tenants;
}
