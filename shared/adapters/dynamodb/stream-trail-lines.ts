import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { depositReasons } from '../../domain/deposit-outcome.js';
import { penaltyReport } from '../../domain/seller-standing.js';
import type { TenantTrailLine } from '../../domain/webhook-delivery.js';
import type { TrailLine } from '../../domain/webhook-event.js';
import { TENANT_PARTITION_PREFIX } from './table-definition.js';

/**
 * A DynamoDB stream record as both sources give it: the Lambda event's records and the streams
 * API's GetRecords (DynamoDB Local under `npm start`). Three kinds matter (docs/design.md,
 * "Delivery"): INSERTs of trail lines (`EVT#`), INSERTs of penalties (`PEN#`, the
 * `seller.penalised` webhook) and the MODIFY that settles a pending card (`card.deposit_settled`).
 */
export interface StreamRecordLike {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly NewImage?: Record<string, unknown>;
    readonly OldImage?: Record<string, unknown>;
  };
}

const lineSchema = z.object({
  eventId: z.string(),
  type: z.string(),
  at: z.string(),
  actor: z.optional(z.string()),
  orderId: z.optional(z.string()),
  sellerId: z.optional(z.string()),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  data: z.optional(z.record(z.string(), z.unknown())),
});

const money = z.object({ amount: z.number(), currency: z.string() });

/** A penalty as the seller's standing stores it; without `eventId` (older items) it is not published. */
const penaltySchema = z.object({
  penaltyId: z.string(),
  eventId: z.optional(z.string()),
  sellerId: z.string(),
  orderId: z.string(),
  reportId: z.optional(z.string()),
  cardId: z.string(),
  fine: money,
  at: z.string(),
});

/** The public fields of a settled card; the code's ciphertext and fingerprint are never read here. */
const settledCardSchema = z.object({
  tenantId: z.string(),
  cardId: z.string(),
  listingId: z.string(),
  sellerId: z.string(),
  last4: z.string(),
  state: z.enum(['available', 'void']),
  settlement: z.object({
    eventId: z.string(),
    outcome: z.enum(['accepted', 'rejected']),
    reason: z.optional(z.enum(depositReasons)),
    at: z.string(),
  }),
});

// `T#<tenant>#ORD#<order>` or `T#<tenant>#SLR#<seller>`: the trail partitions of issue 9.
const TRAIL_PARTITION = new RegExp(`^${TENANT_PARTITION_PREFIX}([^#]+)#(ORD|SLR)#[^#]+$`);
const SELLER_PARTITION = new RegExp(`^${TENANT_PARTITION_PREFIX}([^#]+)#SLR#[^#]+$`);
const LISTING_PARTITION = new RegExp(`^${TENANT_PARTITION_PREFIX}([^#]+)#LST#[^#]+$`);

export interface TrailLinesRead {
  readonly lines: TenantTrailLine[];
  /** Records of those kinds that did not parse: counted for the log, never quoted. */
  readonly malformed: number;
}

type Image = Record<string, AttributeValue | undefined>;
/** One record read: a line, nothing to publish, or a record of a published kind that did not parse. */
type Read = TenantTrailLine | 'skip' | 'malformed';

/**
 * The published changes among stream records, in stream order, each as a trail line. The fields
 * are named one by one (a stored attribute not listed here never reaches a webhook).
 */
export function trailLinesOf(records: readonly StreamRecordLike[]): TrailLinesRead {
  const lines: TenantTrailLine[] = [];
  let malformed = 0;
  for (const record of records) {
    const read = readRecord(record);
    if (read === 'malformed') malformed += 1;
    else if (read !== 'skip') lines.push(read);
  }
  return { lines, malformed };
}

function readRecord(record: StreamRecordLike): Read {
  const image = record.dynamodb?.NewImage as Image | undefined;
  if (!image?.pk?.S || !image.sk?.S) return 'skip';
  const { pk, sk, entity } = { pk: image.pk.S, sk: image.sk.S, entity: image.entity?.S };
  if (record.eventName === 'INSERT' && sk.startsWith('EVT#')) {
    if (entity !== 'Event' && entity !== 'SellerEvent') return 'skip';
    const tenant = TRAIL_PARTITION.exec(pk)?.[1];
    return tenant === undefined ? 'skip' : parsed(tenant, lineSchema, image, (line) => line);
  }
  if (record.eventName === 'INSERT' && sk.startsWith('PEN#') && entity === 'Penalty') {
    const tenant = SELLER_PARTITION.exec(pk)?.[1];
    if (tenant === undefined) return 'skip';
    return parsed(tenant, penaltySchema, image, (p) =>
      p.eventId === undefined ? undefined : penalisedLine({ ...p, eventId: p.eventId }),
    );
  }
  if (record.eventName === 'MODIFY' && sk.startsWith('CARD#') && entity === 'Card') {
    const old = record.dynamodb?.OldImage as Image | undefined;
    // Only the settlement itself: the card's later changes carry the same settlement along.
    if (old?.state?.S !== 'pending_validation' || image.settlement === undefined) return 'skip';
    const tenant = LISTING_PARTITION.exec(pk)?.[1];
    if (tenant === undefined) return 'skip';
    return parsed(tenant, settledCardSchema, image, (card) =>
      card.tenantId === tenant ? settledLine(card) : undefined,
    );
  }
  return 'skip';
}

function parsed<T>(
  tenantId: string,
  schema: z.ZodMiniType<T>,
  image: Image,
  toLine: (value: T) => TrailLine | undefined,
): Read {
  const result = schema.safeParse(unmarshall(image as Record<string, AttributeValue>));
  if (!result.success) return 'malformed';
  const line = toLine(result.data);
  return line ? { tenantId, line } : 'skip';
}

function penalisedLine(p: z.infer<typeof penaltySchema> & { eventId: string }): TrailLine {
  return {
    eventId: p.eventId,
    type: 'seller.penalised',
    at: p.at,
    actor: 'vault',
    sellerId: p.sellerId,
    orderId: p.orderId,
    data: { penaltyId: p.penaltyId, ...penaltyReport(p.reportId), cardId: p.cardId, fine: p.fine },
  };
}

function settledLine(card: z.infer<typeof settledCardSchema>): TrailLine {
  const { settlement } = card;
  return {
    eventId: settlement.eventId,
    type: 'card.deposit_settled',
    at: settlement.at,
    actor: 'issuer',
    sellerId: card.sellerId,
    from: 'pending_validation',
    to: card.state,
    data: {
      cardId: card.cardId,
      listingId: card.listingId,
      last4: card.last4,
      outcome: settlement.outcome,
      ...(settlement.reason !== undefined ? { reason: settlement.reason } : {}),
    },
  };
}
