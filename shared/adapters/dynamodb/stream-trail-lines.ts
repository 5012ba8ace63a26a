import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import type { TenantTrailLine } from '../../domain/webhook-delivery.js';
import { TENANT_PARTITION_PREFIX } from './table-definition.js';

/**
 * A DynamoDB stream record as both sources give it: the Lambda event's records and the streams
 * API's GetRecords (DynamoDB Local under `npm start`). Only INSERTs of trail lines matter.
 */
export interface StreamRecordLike {
  readonly eventName?: string;
  readonly dynamodb?: { readonly NewImage?: Record<string, unknown> };
}

const lineSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  at: z.string(),
  orderId: z.optional(z.string()),
  sellerId: z.optional(z.string()),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  data: z.optional(z.record(z.string(), z.unknown())),
});

// `T#<tenant>#ORD#<order>` or `T#<tenant>#SLR#<seller>`: the trail partitions of issue 9.
const TRAIL_PARTITION = new RegExp(`^${TENANT_PARTITION_PREFIX}([^#]+)#(ORD|SLR)#[^#]+$`);

export interface TrailLinesRead {
  readonly lines: TenantTrailLine[];
  /** Trail-shaped records that did not parse: counted for the log, never quoted. */
  readonly malformed: number;
}

/**
 * The trail lines among stream records, in stream order. The line's fields are named one by one
 * (a stored attribute not listed here never reaches a webhook).
 */
export function trailLinesOf(records: readonly StreamRecordLike[]): TrailLinesRead {
  const lines: TenantTrailLine[] = [];
  let malformed = 0;
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) continue;
    const { pk, sk, entity } = image as Record<string, AttributeValue | undefined>;
    if (!sk?.S?.startsWith('EVT#') || !pk?.S) continue;
    if (entity?.S !== 'Event' && entity?.S !== 'SellerEvent') continue;
    const tenant = TRAIL_PARTITION.exec(pk.S)?.[1];
    if (tenant === undefined) continue;
    const parsed = lineSchema.safeParse(unmarshall(image as Record<string, AttributeValue>));
    if (!parsed.success) {
      malformed += 1;
      continue;
    }
    // The schema names every field a line publishes; keys and anything else stored are dropped.
    lines.push({ tenantId: tenant, line: parsed.data });
  }
  return { lines, malformed };
}
