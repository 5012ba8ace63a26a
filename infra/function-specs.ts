/**
 * The four Lambda functions, split by privilege. Shared by the stack and the bundle report.
 *
 * Memory buys CPU on Lambda (1,769 MB = one vCPU), and cold starts are CPU-bound parsing of the
 * bundle, so no function gets less than 512 MB. Timeouts stay under API Gateway's 30 s
 * integration limit for the HTTP functions: past it the client already has a 503 and the work
 * would only hold a concurrency slot.
 */
import {
  DUE_INDEX,
  FINGERPRINT_PARTITION_PREFIX,
  LINK_PARTITION_PREFIX,
  SELLER_INDEX,
  TENANT_PARTITION_PREFIX,
  tenantPartitions,
  WEBHOOK_DELIVERY_PARTITIONS,
  WEBHOOK_DUE_PREFIX,
  WEBHOOK_ENDPOINT_PARTITIONS,
  WEBHOOK_ROUTE_ATTRIBUTES,
} from '../shared/adapters/dynamodb/table-definition.js';

/**
 * The index partitions (IAM `StringLike` on the index's partition key, keys.ts) each flow queries.
 * Due index: order transitions (`DUE#n`), escalation deadlines (`ESCDUE#n`), pending suspension
 * cascades (`CASCADE`), the recheck job's work (`RECHECK#n`) and due webhook deliveries (`WHK#n`,
 * the dispatcher's alone). Seller index: a seller's open orders, a tenant's open escalations, and a
 * listing's card pools (available, held on a payment clock).
 */
export const INDEX_PARTITIONS = {
  dueOrders: 'DUE#*',
  escalationDeadlines: 'ESCDUE#*',
  pendingCascades: 'CASCADE',
  reviewWork: 'REVIEWWORK',
  rechecks: 'RECHECK#*',
  dueWebhooks: `${WEBHOOK_DUE_PREFIX}*`,
  sellerOpenOrders: tenantPartitions('SLR#*#OPEN'),
  heldReleases: tenantPartitions('SLR#*#HELDREL'),
  openEscalations: tenantPartitions('ESCALATIONS'),
  tenantApiKeys: tenantPartitions('APIKEYS'),
  tenantLinks: tenantPartitions('LINKS'),
  availableCards: tenantPartitions('LST#*#AVAIL'),
  heldCards: tenantPartitions('LST#*#HELD'),
} as const;

/** Queries on one index, for these of its partitions only. */
export interface IndexGrant {
  readonly index: string;
  readonly partitions: readonly string[];
}

export interface FunctionSpec {
  /** Entry file, relative to the project root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** The AWS SDK clients the function needs, for the bundle report's baseline. */
  readonly sdkClients: readonly SdkClient[];
  /**
   * Answers `GET /openapi.json` (API Gateway's default route): its bundle carries the whole API's
   * document, built at synth (infra/bundling.ts). The other bundles carry none.
   */
  readonly servesOpenApiDocument: boolean;
  /** Item reads the function makes: GetItem, and Query only where a flow queries. */
  readonly reads: readonly ReadAction[];
  /**
   * The table's secondary indexes the function may query (besides the table itself), each for
   * the partitions its flows read only (`dynamodb:LeadingKeys` on the index's partition key).
   */
  readonly indexes: readonly IndexGrant[];
  /**
   * Item writes the function makes (a transaction is authorised item by item as these), and the
   * partition-key prefixes it may write: never tenants, API keys or brands (operators' items).
   */
  readonly writes: readonly WriteAction[];
  readonly writePrefixes: readonly string[];
  /** DeleteItem on these partitions only (IAM `StringLike` patterns), when `writes` has no DeleteItem. */
  readonly deletePartitions?: readonly string[];
  /**
   * Partitions (IAM `StringLike` patterns) this function may neither read nor write, whatever
   * its other grants allow: an explicit Deny, on the table and on every index (where the pattern
   * is the index's partition). Webhook signing secrets are the api function's alone, and the due
   * index's webhook shards (every due delivery with its payload) the dispatcher's.
   */
  readonly deniedPartitions: readonly string[];
  /**
   * May read issuer secrets (`secretsmanager:GetSecretValue` on `card-vault/issuers/*` only):
   * the functions that check codes with an issuer. Issue 21: deposit, reveal and sweeper.
   */
  readonly readsIssuerSecrets: boolean;
  /**
   * Records an API key's use: UpdateItem on `APIKEY#` items naming `lastUsedAt` only (and the
   * key), so a function that authenticates cannot change a key's scopes or secret. The api
   * function, which makes and revokes keys, writes them whole instead (`writePrefixes`).
   */
  readonly recordsApiKeyUse: boolean;
}

/** The API key items (keys.ts `apiKey`): a tenant makes and revokes its own through the api function. */
export const API_KEY_PARTITION_PREFIX = 'APIKEY#';

export type ReadAction = 'GetItem' | 'Query';
export type WriteAction = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

export type SdkClient = 'dynamodb' | 'kms';
export type FunctionName = 'api' | 'deposit' | 'reveal' | 'sweeper';

export const FUNCTION_SPECS: Record<FunctionName, FunctionSpec> = {
  api: {
    entry: 'functions/api.ts',
    servesOpenApiDocument: true,
    description:
      'card-vault HTTP API: every route but deposit, withdrawal, reveal and reports; links and the hosted pages. Of KMS, kms:Sign and kms:GetPublicKey on the evidence key and kms:Encrypt on the webhook secret key only.',
    // A few DynamoDB round trips per request; 10 s is generous and still fails fast.
    memoryMb: 512,
    timeoutSeconds: 10,
    // kms: the evidence bundles' signatures (GET /v1/orders/{id}/evidence), and sealing the webhook
    // signing secrets it mints (kms:Encrypt on the webhook secret key; opening is the dispatcher's).
    sdkClients: ['dynamodb', 'kms'],
    reads: ['GetItem', 'Query'],
    // The open escalations list (gsi2); a settled refund with a penalty can suspend the seller,
    // which walks the seller's open orders (gsi2 too).
    indexes: [
      {
        index: SELLER_INDEX,
        partitions: [
          INDEX_PARTITIONS.openEscalations,
          INDEX_PARTITIONS.sellerOpenOrders,
          INDEX_PARTITIONS.availableCards,
          INDEX_PARTITIONS.heldCards,
          // Closing a seller's review lifts the releases it held.
          INDEX_PARTITIONS.heldReleases,
          // A tenant's own API keys (GET /v1/api-keys) and links (GET /v1/links).
          INDEX_PARTITIONS.tenantApiKeys,
          INDEX_PARTITIONS.tenantLinks,
        ],
      },
    ],
    // ConditionCheckItem: placing an order checks the seller is active.
    writes: ['PutItem', 'UpdateItem', 'ConditionCheckItem'],
    // LINK#: a hosted link is put (with its tenant-side pointer) and revoked here, and only here.
    // APIKEY#: a tenant makes its own keys here (POST /v1/api-keys), and only here.
    writePrefixes: [TENANT_PARTITION_PREFIX, LINK_PARTITION_PREFIX, API_KEY_PARTITION_PREFIX],
    // A tenant deletes its webhook endpoints and revokes its API keys; nothing else is deleted.
    deletePartitions: [WEBHOOK_ENDPOINT_PARTITIONS, `${API_KEY_PARTITION_PREFIX}*`],
    deniedPartitions: [INDEX_PARTITIONS.dueWebhooks],
    readsIssuerSecrets: false,
    recordsApiKeyUse: false,
  },
  deposit: {
    entry: 'functions/deposit.ts',
    servesOpenApiDocument: false,
    description: 'card-vault deposit and withdrawal of cards. kms:Encrypt and kms:GenerateMac only.',
    // Up to 500 cards per request, each an issuer check, a KMS Encrypt, a GenerateMac and a
    // transaction: parallel work and JSON for 500 results want CPU, hence 1 GB; the timeout is the
    // most API Gateway allows. Cards not checked in time come back `pending`.
    memoryMb: 1024,
    timeoutSeconds: 29,
    sdkClients: ['dynamodb', 'kms'],
    // Keys only (API key, brand, listing, card, fingerprint, an order holding a card): no flow
    // of deposit or withdrawal queries, so Query is not granted (test/infra/lambda-handlers.test.ts).
    reads: ['GetItem'],
    indexes: [],
    // DeleteItem: withdrawing an unsold card frees its fingerprint, the only deletion anywhere.
    writes: ['PutItem', 'UpdateItem', 'DeleteItem'],
    writePrefixes: [TENANT_PARTITION_PREFIX, FINGERPRINT_PARTITION_PREFIX],
    deniedPartitions: [
      WEBHOOK_ENDPOINT_PARTITIONS,
      WEBHOOK_DELIVERY_PARTITIONS,
      INDEX_PARTITIONS.dueWebhooks,
    ],
    readsIssuerSecrets: true,
    recordsApiKeyUse: true,
  },
  reveal: {
    entry: 'functions/reveal.ts',
    servesOpenApiDocument: false,
    description:
      'card-vault reveal, reports and the recheck job (issuer re-asks): the only function allowed kms:Decrypt.',
    // One issuer re-check (with the adapter's retries and backoff) plus a Decrypt per card: 20 s
    // leaves room for the issuer's retry budget under the 30 s API limit.
    memoryMb: 512,
    timeoutSeconds: 20,
    sdkClients: ['dynamodb', 'kms'],
    reads: ['GetItem', 'Query'],
    // An upheld report can suspend the seller, which walks the seller's open orders; the
    // scheduled recheck job finds its work in the due index's RECHECK# partitions.
    indexes: [
      { index: SELLER_INDEX, partitions: [INDEX_PARTITIONS.sellerOpenOrders] },
      { index: DUE_INDEX, partitions: [INDEX_PARTITIONS.rechecks] },
    ],
    // ConditionCheckItem: the reveal claim checks the seller is still active.
    writes: ['PutItem', 'UpdateItem', 'ConditionCheckItem'],
    writePrefixes: [TENANT_PARTITION_PREFIX],
    deniedPartitions: [
      WEBHOOK_ENDPOINT_PARTITIONS,
      WEBHOOK_DELIVERY_PARTITIONS,
      INDEX_PARTITIONS.dueWebhooks,
    ],
    readsIssuerSecrets: true,
    recordsApiKeyUse: true,
  },
  sweeper: {
    entry: 'functions/sweeper.ts',
    servesOpenApiDocument: false,
    description:
      'card-vault sweeper: due transitions (payment timeout, dispute window, escalation deadline) and pending suspension cascades, every minute.',
    // Under the 1-minute schedule period, so one sweep ends before the next one starts.
    memoryMb: 512,
    timeoutSeconds: 50,
    sdkClients: ['dynamodb'],
    reads: ['GetItem', 'Query'],
    // Finds due orders, escalation deadlines and suspended sellers with a pending cascade on the due index instead of
    // scanning, and walks such a seller's open orders on the seller index.
    indexes: [
      {
        index: DUE_INDEX,
        partitions: [
          INDEX_PARTITIONS.dueOrders,
          INDEX_PARTITIONS.escalationDeadlines,
          INDEX_PARTITIONS.pendingCascades,
          INDEX_PARTITIONS.reviewWork,
        ],
      },
      {
        index: SELLER_INDEX,
        partitions: [INDEX_PARTITIONS.sellerOpenOrders, INDEX_PARTITIONS.heldReleases],
      },
    ],
    // UpdateItem also on seller items: the cascade's refunds, and clearing the pending cascade.
    // ConditionCheckItem: a release held while the seller is under review checks the review.
    writes: ['PutItem', 'UpdateItem', 'ConditionCheckItem'],
    writePrefixes: [TENANT_PARTITION_PREFIX],
    deniedPartitions: [
      WEBHOOK_ENDPOINT_PARTITIONS,
      WEBHOOK_DELIVERY_PARTITIONS,
      INDEX_PARTITIONS.dueWebhooks,
    ],
    readsIssuerSecrets: true,
    recordsApiKeyUse: false,
  },
};

/** What a function's code and bundle need, whatever its grants (VaultFunction, lambdaBundling). */
export type DeployedFunctionSpec = Pick<
  FunctionSpec,
  'entry' | 'description' | 'memoryMb' | 'timeoutSeconds' | 'sdkClients' | 'servesOpenApiDocument'
>;

/**
 * One statement of a webhook function's role: these item actions, on the table or one index, for
 * these partitions only (`dynamodb:LeadingKeys`, IAM `StringLike`; on an index, its partition key).
 */
export interface PartitionGrant {
  readonly sid: string;
  readonly actions: readonly ('GetItem' | 'Query' | WriteAction)[];
  /** Absent: the table itself. */
  readonly index?: string;
  readonly partitions: readonly string[];
  /**
   * The only attributes the requests may name (`dynamodb:Attributes`; the key attributes are
   * always allowed): a read must then project them (`dynamodb:Select` SPECIFIC_ATTRIBUTES), and
   * an update may return only what it wrote. Absent: any attribute.
   */
  readonly attributes?: readonly string[];
}

/**
 * The webhook functions read nothing table-wide: every grant, reads included, names its
 * partitions. No Scan, no deletes; no VPC (they must reach tenants' public https URLs). Of KMS,
 * only the dispatcher's kms:Decrypt on the webhook secret key (infra/constructs/vault-keys.ts).
 */
export interface WebhookFunctionSpec extends DeployedFunctionSpec {
  readonly grants: readonly PartitionGrant[];
}

export type WebhookFunctionName = 'webhookFanOut' | 'webhookDispatcher';

export const WEBHOOK_FUNCTION_SPECS: Record<WebhookFunctionName, WebhookFunctionSpec> = {
  webhookFanOut: {
    entry: 'functions/webhook-fan-out.ts',
    servesOpenApiDocument: false,
    description:
      'card-vault webhook fan-out: trail lines on the table stream -> delivery items. Stream read, WHK partitions only.',
    // A batch of up to 100 lines, each a (cached) endpoint query and a transaction per endpoint
    // that wants it, one subject after another: seconds, not a minute.
    memoryMb: 512,
    timeoutSeconds: 60,
    sdkClients: ['dynamodb'],
    grants: [
      // The tenant's endpoints (one query per tenant, cached), as far as routing needs: no URL, no secret.
      {
        sid: 'WebhookEndpointRoutes',
        actions: ['Query'],
        partitions: [WEBHOOK_ENDPOINT_PARTITIONS],
        attributes: WEBHOOK_ROUTE_ATTRIBUTES,
      },
      // A delivery's put and its queue's update, in one transaction.
      {
        sid: 'WebhookDeliveryWrites',
        actions: ['PutItem', 'UpdateItem'],
        partitions: [WEBHOOK_DELIVERY_PARTITIONS],
      },
    ],
  },
  webhookDispatcher: {
    entry: 'functions/webhook-dispatcher.ts',
    servesOpenApiDocument: false,
    description:
      'card-vault webhook dispatcher: attempts due deliveries every minute (ticks while there is work, up to 45 s, then drains). WHK partitions only; kms:Decrypt on the webhook secret key only.',
    // Ticks while there is work (a run ends after 3 idle ticks) for up to 45 s, then waits for the
    // attempts in flight (each ends at WEBHOOK_TIMEOUT_MS, 10 s by default and 30 s at most, body
    // included; none starts after the run's `until`, which leaves each its whole time and 5 s to
    // record it). A run may touch the next one; claims (leases on the due key) keep two runs off
    // one delivery.
    memoryMb: 512,
    timeoutSeconds: 60,
    // kms: opening the endpoints' signing secrets (Decrypt, once per secret per container).
    sdkClients: ['dynamodb', 'kms'],
    grants: [
      {
        sid: 'WebhookDueQueries',
        actions: ['Query'],
        index: DUE_INDEX,
        partitions: [`${WEBHOOK_DUE_PREFIX}*`],
      },
      // The delivery's endpoint: the tenant's endpoints in one query (cached, like the fan-out's).
      { sid: 'WebhookEndpointReads', actions: ['Query'], partitions: [WEBHOOK_ENDPOINT_PARTITIONS] },
      // Claims, attempts and queue advances on the deliveries.
      { sid: 'WebhookDeliveryUpdates', actions: ['UpdateItem'], partitions: [WEBHOOK_DELIVERY_PARTITIONS] },
      // The endpoint's failure count (an ADD, a reset) and disabling it after 5 failures: never its URL or secrets.
      {
        sid: 'WebhookEndpointFailureCounts',
        actions: ['UpdateItem'],
        partitions: [WEBHOOK_ENDPOINT_PARTITIONS],
        attributes: ['consecutiveFailures', 'status', 'disabledReason'],
      },
      // `advance` reads the subject's queue item; endpoints are only ever queried.
      { sid: 'WebhookDeliveryReads', actions: ['GetItem'], partitions: [WEBHOOK_DELIVERY_PARTITIONS] },
    ],
  },
};
