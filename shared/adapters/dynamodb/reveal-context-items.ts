import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  type BuyerContext,
  buyerContextSources,
  type RevealContextRecord,
} from '../../domain/buyer-context.js';
import { entity, optionalText, text } from './item-schema.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { putNew, queryPrefix, type TableContext } from './table-context.js';

const buyerContext = entity<BuyerContext>()(
  z.object({ ip: optionalText, userAgent: optionalText, sessionId: optionalText, deviceId: optionalText }),
);

const revealContextSchema = entity<RevealContextRecord>()(
  z.object({
    tenantId: text,
    orderId: text,
    digest: text,
    salt: text,
    source: z.enum(buyerContextSources),
    context: buyerContext,
    recordedAt: text,
    erasedAt: text,
  }),
);

/** Written once under its digest; `ttl` lets DynamoDB delete it when its retention ends. */
export async function putRevealContext(ctx: TableContext, r: RevealContextRecord): Promise<void> {
  const ttl = Math.ceil(Date.parse(r.erasedAt) / 1000);
  const item = { ...keys.revealContext(r.tenantId, r.orderId, r.digest), entity: 'RevealContext', ttl, ...r };
  try {
    await ctx.doc.send(new PutCommand(putNew(ctx.tableName, item).Put));
  } catch (error) {
    // The same digest is the same context with the same salt: a retry, already written.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/**
 * The order's contexts still kept at `now`. DynamoDB's TTL deletes an item up to days after its
 * time, so an item past `erasedAt` is treated as gone already: it is never read back.
 */
export async function listRevealContexts(
  ctx: TableContext,
  tenantId: string,
  orderId: string,
  now: Date,
): Promise<RevealContextRecord[]> {
  const { pk, skPrefix } = keys.revealContextsOf(tenantId, orderId);
  return (await queryPrefix(ctx, pk, skPrefix))
    .map((i) => parseItem('reveal context', revealContextSchema, i))
    .filter((r) => Date.parse(r.erasedAt) > now.getTime());
}
