import { createHash } from 'node:crypto';
import {
  DUE_SHARDS,
  FINGERPRINT_PARTITION_PREFIX,
  TENANT_PARTITION_PREFIX,
  WEBHOOK_DUE_SHARDS,
  WEBHOOK_ENDPOINT_PARTITION_SUFFIX,
} from './table-definition.js';

/**
 * Every key of the single table is built here (ElectroDB style: generic `pk`/`sk`, one
 * module owns the layout). Tenant-scoped items start with `T#<tenantId>#`, so another
 * tenant's id never finds them. Ids reaching here are validated (no `#`).
 */
export type Key = { pk: string; sk: string };

const T = TENANT_PARTITION_PREFIX;
const PENDING_CASCADE = 'CASCADE';
const REVIEW_WORK = 'REVIEWWORK';
const order = (t: string, o: string) => `${T}${t}#ORD#${o}`;
const listing = (t: string, l: string) => `${T}${t}#LST#${l}`;
const seller = (t: string, s: string) => `${T}${t}#SLR#${s}`;
// Its own partition per tenant, so IAM can keep every function but the api one away from it.
const webhookEndpoints = (t: string) => `${T}${t}${WEBHOOK_ENDPOINT_PARTITION_SUFFIX}`;

export const keys = {
  tenant: (tenantId: string): Key => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' }),
  apiKey: (keyId: string): Key => ({ pk: `APIKEY#${keyId}`, sk: 'APIKEY' }),
  /** A tenant's keys (gsi2), oldest first: the key item stays where a presented key finds it. */
  tenantApiKey: (t: string, createdAt: string, keyId: string) => ({
    gsi2pk: `${T}${t}#APIKEYS`,
    gsi2sk: `${createdAt}#${keyId}`,
  }),
  tenantApiKeysOf: (t: string) => `${T}${t}#APIKEYS`,
  /** The tenant's key trail: `KEYEVT#`, not `EVT#`, so the webhook fan-out's stream filter skips it. */
  keyTrailLine: (t: string, eventId: string): Key => ({ pk: `${T}${t}#KEYTRAIL`, sk: `KEYEVT#${eventId}` }),
  brand: (brand: string): Key => ({ pk: `BRAND#${brand}`, sk: 'BRAND' }),
  listing: (t: string, l: string): Key => ({ pk: listing(t, l), sk: 'LISTING' }),
  card: (t: string, l: string, c: string): Key => ({ pk: listing(t, l), sk: `CARD#${c}` }),
  cardsOf: (t: string, l: string) => ({ pk: listing(t, l), skPrefix: 'CARD#' }),
  /**
   * Card pool (gsi2), on the card item only while it is `available`, so picking cards reads a
   * few index entries however large the listing. The sort key starts with a hash of the card id:
   * a query from a random point gives racing buyers different cards.
   */
  availableCard: (t: string, l: string, c: string) => ({
    gsi2pk: `${listing(t, l)}#AVAIL`,
    gsi2sk: `${spreadOf(c)}#${c}`,
  }),
  availableCardsOf: (t: string, l: string) => `${listing(t, l)}#AVAIL`,
  /** Held cards (gsi2), only while reserved on a payment clock, by `reservedUntil`: lapsed ones first. */
  heldCard: (t: string, l: string, reservedUntil: string, c: string) => ({
    gsi2pk: `${listing(t, l)}#HELD`,
    gsi2sk: `${reservedUntil}#${c}`,
  }),
  heldCardsOf: (t: string, l: string) => `${listing(t, l)}#HELD`,
  /** Deployment-wide, not tenant-scoped: a code is sold once across all marketplaces (F6). */
  fingerprint: (fp: string): Key => ({ pk: `${FINGERPRINT_PARTITION_PREFIX}${fp}`, sk: 'FP' }),
  order: (t: string, o: string): Key => ({ pk: order(t, o), sk: 'ORDER' }),
  event: (t: string, o: string, e: string): Key => ({ pk: order(t, o), sk: `EVT#${e}` }),
  eventsOf: (t: string, o: string) => ({ pk: order(t, o), skPrefix: 'EVT#' }),
  report: (t: string, o: string, c: string): Key => ({ pk: order(t, o), sk: `RPT#${c}` }),
  /** A reveal's buyer context (erased by TTL), under the digest its trail event carries. */
  revealContext: (t: string, o: string, digest: string): Key => ({ pk: order(t, o), sk: `CTX#${digest}` }),
  revealContextsOf: (t: string, o: string) => ({ pk: order(t, o), skPrefix: 'CTX#' }),
  payment: (t: string, o: string, ref: string): Key => ({ pk: order(t, o), sk: `PAY#${ref}` }),
  /** A payment reference belongs to one order of a tenant: one payment never pays two orders (F8). */
  paymentRef: (t: string, ref: string): Key => ({ pk: `${T}${t}#PAYREF#${ref}`, sk: 'PAYREF' }),
  seller: (t: string, s: string): Key => ({ pk: seller(t, s), sk: 'SELLER' }),
  penalty: (t: string, s: string, p: string): Key => ({ pk: seller(t, s), sk: `PEN#${p}` }),
  penaltiesOf: (t: string, s: string) => ({ pk: seller(t, s), skPrefix: 'PEN#' }),
  ledger: (t: string, s: string, id: string): Key => ({ pk: seller(t, s), sk: `LED#${id}` }),
  sellerEvent: (t: string, s: string, e: string): Key => ({ pk: seller(t, s), sk: `EVT#${e}` }),
  sellerEventsOf: (t: string, s: string) => ({ pk: seller(t, s), skPrefix: 'EVT#' }),
  /** The seller's budget of rejected codes (deposit-budget.ts): shared by the API and deposit links. */
  depositBudget: (t: string, s: string): Key => ({ pk: seller(t, s), sk: 'DEPOSITBUDGET' }),
  /**
   * Due index (gsi1), its own partition: a suspended seller whose cascade is not finished, so the
   * sweeper resumes it without a scan. Suspensions are rare, so one partition carries them.
   */
  pendingCascade: (t: string, s: string, suspendedAt: string) => ({
    gsi1pk: PENDING_CASCADE,
    gsi1sk: `${suspendedAt}#${t}#${s}`,
  }),
  pendingCascades: (): string => PENDING_CASCADE,
  /** A tenant's webhook endpoints share one partition: the dispatcher reads them in one query. */
  webhookEndpoint: (t: string, e: string): Key => ({ pk: webhookEndpoints(t), sk: `EP#${e}` }),
  webhookEndpointsOf: (t: string) => ({ pk: webhookEndpoints(t), skPrefix: 'EP#' }),
  /**
   * An endpoint's deliveries and its per-subject queues share the endpoint's own partition: one
   * item per event (the conditional put that makes a redelivered stream batch a no-op), listed
   * newest first by the event's time-sortable id.
   */
  webhookDelivery: (t: string, e: string, eventId: string): Key => ({
    pk: `${T}${t}#WHK#${e}`,
    sk: `DLV#${eventId}`,
  }),
  webhookDeliveriesOf: (t: string, e: string) => ({ pk: `${T}${t}#WHK#${e}`, skPrefix: 'DLV#' }),
  /** The queue of one endpoint and one subject (an order, a seller): its head and who waits. */
  webhookQueue: (t: string, e: string, subject: string): Key => ({
    pk: `${T}${t}#WHK#${e}`,
    sk: `QUEUE#${subject}`,
  }),
  /**
   * Due webhook deliveries (gsi1), only the head of each queue, sharded by endpoint so one
   * endpoint's backlog sits in one shard and the dispatcher reads every shard on its own.
   */
  webhookDue: (t: string, e: string, eventId: string, at: string) => ({
    gsi1pk: shardOf('WHK', e, WEBHOOK_DUE_SHARDS),
    gsi1sk: `${at}#${t}#${e}#${eventId}`,
  }),
  webhookDueShards: (): string[] => shards('WHK', WEBHOOK_DUE_SHARDS),
  /** A hosted link by its token's hash (the page knows no tenant), and by id within its tenant. */
  linkToken: (tokenHash: string): Key => ({ pk: `LINK#${tokenHash}`, sk: 'LINK' }),
  link: (t: string, linkId: string): Key => ({ pk: `${T}${t}#LNK#${linkId}`, sk: 'LINK' }),
  /** A tenant's links (gsi2, on the pointer), oldest first by their time-sortable id. */
  tenantLink: (t: string, linkId: string) => ({ gsi2pk: `${T}${t}#LINKS`, gsi2sk: linkId }),
  tenantLinksOf: (t: string) => `${T}${t}#LINKS`,
  /**
   * Token buckets (`dynamodb-rate-bucket-store.ts`): the tenant's in a partition of its own, so a
   * busy tenant's bucket shares no partition with its data; a link's beside the link's pointer.
   * Both under `T#<tenant>#`, which every HTTP function may update (infra/function-specs.ts).
   */
  tenantRateBucket: (t: string): Key => ({ pk: `${T}${t}#RATE`, sk: 'BUCKET' }),
  linkRateBucket: (t: string, linkId: string): Key => ({ pk: `${T}${t}#LNK#${linkId}`, sk: 'RATE' }),
  buyer: (t: string, b: string): Key => ({ pk: `${T}${t}#BYR#${b}`, sk: 'BUYER' }),
  idempotency: (t: string, scope: string, keyHash: string): Key => ({
    pk: `${T}${t}#IDEM#${scope}#${keyHash}`,
    sk: 'IDEM',
  }),
  /** Due index (gsi1): present only while time can change the order. */
  due: (orderId: string, dueAt: string) => ({
    gsi1pk: dueShard(orderId),
    gsi1sk: `${dueAt}#${orderId}`,
  }),
  dueShards: (): string[] => shards('DUE'),
  /**
   * Recheck partitions of the due index: work that needs a code's plaintext (re-asking the issuer
   * about an escalated report, the reveal-deadline re-check), done by the reveal function's job.
   * Apart from `DUE#`, so the sweeper (no KMS) never picks up what it cannot do, and vice versa.
   */
  recheck: (id: string, at: string) => ({ gsi1pk: shardOf('RECHECK', id), gsi1sk: `${at}#${id}` }),
  recheckShards: (): string[] => shards('RECHECK'),
  /** Escalation deadlines in the due index, on the report's pointer while the report is open (sweeper). */
  escalationDue: (reportId: string, deadline: string) => ({
    gsi1pk: shardOf('ESCDUE', reportId),
    gsi1sk: `${deadline}#${reportId}`,
  }),
  escalationDueShards: (): string[] => shards('ESCDUE'),
  /** From a report's id to the report (which lives in its order's partition, one per card). */
  reportRef: (t: string, reportId: string): Key => ({ pk: `${T}${t}#RPT#${reportId}`, sk: 'REPORTREF' }),
  /** A tenant's open escalations (gsi2), oldest first; the keys go once the report is closed. */
  openEscalation: (t: string, createdAt: string, reportId: string) => ({
    gsi2pk: `${T}${t}#ESCALATIONS`,
    gsi2sk: `${createdAt}#${reportId}`,
  }),
  openEscalationsOf: (t: string) => `${T}${t}#ESCALATIONS`,
  /** Seller index (gsi2): present only while the order is open to the suspension cascade. */
  sellerOrder: (t: string, s: string, createdAt: string, o: string) => ({
    gsi2pk: `${seller(t, s)}#OPEN`,
    gsi2sk: `${createdAt}#${o}`,
  }),
  sellerOpenOrders: (t: string, s: string) => `${seller(t, s)}#OPEN`,
  /** Seller index (gsi2): a revealed order whose release waits for the seller's review to close. */
  heldRelease: (t: string, s: string, o: string) => ({ gsi2pk: `${seller(t, s)}#HELDREL`, gsi2sk: o }),
  heldReleasesOf: (t: string, s: string) => `${seller(t, s)}#HELDREL`,
  /** Work a seller's review left to do (reopen reports, or lift holds and settle): one item per seller. */
  reviewWork: (t: string, s: string): Key => ({ pk: seller(t, s), sk: 'REVIEWWORK' }),
  /** Due index (gsi1), one partition like the cascades: reviews are rare. */
  reviewWorkDue: (t: string, s: string, at: string) => ({ gsi1pk: REVIEW_WORK, gsi1sk: `${at}#${t}#${s}` }),
  reviewWorkPending: (): string => REVIEW_WORK,
};

/** 8 hex characters, uniform over card ids (time-sortable ULIDs would cluster by deposit). */
function spreadOf(cardId: string): string {
  return createHash('sha256').update(cardId).digest('hex').slice(0, 8);
}

function dueShard(orderId: string): string {
  return shardOf('DUE', orderId);
}

function shardOf(prefix: string, id: string, count: number = DUE_SHARDS): string {
  const byte = createHash('sha256').update(id).digest()[0] ?? 0;
  return `${prefix}#${byte % count}`;
}

function shards(prefix: string, count: number = DUE_SHARDS): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}#${i}`);
}
