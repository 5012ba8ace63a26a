/**
 * The one definition of the vault's single table: the local stack creates it with
 * CreateTable and the CDK stack declares it from the same data.
 *
 * - `pk`/`sk`: every item (see keys.ts).
 * - `gsi1` (due index): orders with a time-driven transition pending, keyed by due time,
 *   so the sweeper queries instead of scanning.
 * - `gsi2` (seller index): a seller's orders, for the suspension cascade; open escalations; and
 *   each listing's card pools (available cards, cards held on a payment clock), sparse keys
 *   written on the card item only while it is in that state.
 * - `ttl`: idempotency records expire after 24 h.
 */
export const tableDefinition = {
  defaultTableName: 'card-vault-local',
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

/**
 * Partition-key prefixes the functions write: tenant-scoped items, and the deployment-wide
 * fingerprints. Tenants, API keys and brands are written by operators only (the admin CLI), and
 * IAM holds the Lambda functions to these prefixes (`dynamodb:LeadingKeys`).
 */
export const TENANT_PARTITION_PREFIX = 'T#';
export const FINGERPRINT_PARTITION_PREFIX = 'FP#';
/**
 * Hosted links under their token's hash, `LINK#<sha256>` (keys.ts): a page knows its token, not
 * its tenant. Only the api function writes them (made, revoked); the page POSTs read them by key.
 */
export const LINK_PARTITION_PREFIX = 'LINK#';
/**
 * A tenant id as an IAM `StringLike` pattern: `tnt_` and exactly 26 characters (ids/ulid-id-generator.ts
 * makes every tenant id so). Not `*`: a `*` also spans `#`, so `T#*#WHK` would match a seller or
 * buyer the marketplace named `WHK` (`T#<tenant>#SLR#WHK`) and deny its own functions their items.
 */
export const TENANT_ID_PATTERN = `tnt_${'?'.repeat(26)}`;
/** A tenant's partitions as IAM patterns: `T#<tenantId>#` followed by `rest`. */
export const tenantPartitions = (rest: string): string =>
  `${TENANT_PARTITION_PREFIX}${TENANT_ID_PATTERN}#${rest}`;
/**
 * A tenant's webhook endpoints, with their signing secrets, live in `T#<tenantId>#WHK` (keys.ts).
 * As an IAM `StringLike` pattern: only the api function may reach it, and it alone may delete there.
 */
export const WEBHOOK_ENDPOINT_PARTITION_SUFFIX = '#WHK';
export const WEBHOOK_ENDPOINT_PARTITIONS = tenantPartitions('WHK');
/**
 * An endpoint's deliveries and per-subject queues live in `T#<tenantId>#WHK#<endpointId>` (keys.ts):
 * the webhook functions' partitions, denied to deposit, reveal and the sweeper.
 */
export const WEBHOOK_DELIVERY_PARTITIONS = `${WEBHOOK_ENDPOINT_PARTITIONS}#*`;

export const DUE_INDEX = 'gsi1';
export const SELLER_INDEX = 'gsi2';
/** The card pools share the seller index (no new GSI): their partitions are per listing. */
export const CARD_POOL_INDEX = SELLER_INDEX;
/** Due items are spread over a few partitions so the sweeper's index has no single hot key. */
export const DUE_SHARDS = 4;
/** Due webhook deliveries have shards of their own (by endpoint), read in parallel by the dispatcher. */
export const WEBHOOK_DUE_SHARDS = 8;
/** The webhook dispatcher's due partitions on gsi1 (`WHK#<0..7>`): its role may query only these. */
export const WEBHOOK_DUE_PREFIX = 'WHK#';

/**
 * The endpoint attributes routing an event needs (DynamoWebhookEndpointStore.listRoutes): the
 * fan-out's role may read these and no other (`dynamodb:Attributes`), so never a URL or a secret.
 */
export const WEBHOOK_ROUTE_ATTRIBUTES = ['endpointId', 'status', 'eventTypes'] as const;
