/**
 * Environment variable names, shared by the runtime config (shared/config/config.ts) and
 * the CDK stack (infra/), so the two never drift apart.
 */
export const ENV = {
  stage: 'STAGE',
  tableName: 'TABLE_NAME',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  dynamodbPort: 'DYNAMODB_PORT',
  codeKeyId: 'CODE_KEY_ID',
  fingerprintKeyId: 'FINGERPRINT_KEY_ID',
  evidenceKeyId: 'EVIDENCE_KEY_ID',
  webhookSecretKeyId: 'WEBHOOK_SECRET_KEY_ID',
  /** The KMS HMAC key a reveal link's page key is derived with (api and reveal functions). */
  linkKeyId: 'LINK_KEY_ID',
  localKeyFile: 'LOCAL_KEY_FILE',
  port: 'PORT',
  issuerSimPort: 'ISSUER_SIM_PORT',
  devApiKey: 'DEV_API_KEY',
  // Read only by the tools (scripts/, bench/).
  apiUrl: 'API_URL',
  issuerUrl: 'ISSUER_URL',
  benchScale: 'BENCH_SCALE',
  benchSales: 'BENCH_SALES',
  benchConcurrency: 'BENCH_CONCURRENCY',
  benchCards: 'BENCH_CARDS',
  paymentTimeoutSeconds: 'PAYMENT_TIMEOUT_SECONDS',
  disputeWindowSeconds: 'DISPUTE_WINDOW_SECONDS',
  revealRetrySeconds: 'REVEAL_RETRY_SECONDS',
  raceWindowSeconds: 'RACE_WINDOW_SECONDS',
  sweepIntervalSeconds: 'SWEEP_INTERVAL_SECONDS',
  revalidateBeforeReveal: 'REVALIDATE_BEFORE_REVEAL',
  issuerClockSkewSeconds: 'ISSUER_CLOCK_SKEW_SECONDS',
  escalationRetrySeconds: 'ESCALATION_RETRY_SECONDS',
  escalationRetryMaxSeconds: 'ESCALATION_RETRY_MAX_SECONDS',
  escalationDeadlineSeconds: 'ESCALATION_DEADLINE_SECONDS',
  revealDeadlineSeconds: 'REVEAL_DEADLINE_SECONDS',
  apiKeyCacheSeconds: 'API_KEY_CACHE_SECONDS',
  apiKeyCacheEntries: 'API_KEY_CACHE_ENTRIES',
  brandCacheSeconds: 'BRAND_CACHE_SECONDS',
  linkRedeliveries: 'LINK_REDELIVERIES',
  sellerSuspicionDays: 'SELLER_SUSPICION_DAYS',
  tenantRatePerSecond: 'TENANT_RATE_PER_SECOND',
  tenantBurst: 'TENANT_BURST',
  linkRatePerSecond: 'LINK_RATE_PER_SECOND',
  linkBurst: 'LINK_BURST',
  sellerSuspicionBuyers: 'SELLER_SUSPICION_BUYERS',
  depositRejectBudget: 'DEPOSIT_REJECT_BUDGET',
  inMemory: 'IN_MEMORY',
  /** Local stack only: `local` (default) also allows http://127.0.0.1 webhooks; `aws` as deployed. */
  webhookEndpointMode: 'WEBHOOK_ENDPOINT_MODE',
  webhookRetryBaseSeconds: 'WEBHOOK_RETRY_BASE_SECONDS',
  webhookGiveUpSeconds: 'WEBHOOK_GIVE_UP_SECONDS',
  webhookTimeoutMs: 'WEBHOOK_TIMEOUT_MS',
  webhookEndpointCacheSeconds: 'WEBHOOK_ENDPOINT_CACHE_SECONDS',
  webhookDispatchIntervalMs: 'WEBHOOK_DISPATCH_INTERVAL_MS',
  /** `aws` (default in Lambda): issuers over https only; `local` (default in `npm start`): http to loopback too. */
  issuerUrlMode: 'ISSUER_URL_MODE',
  /** Checks in flight to one issuer from one process at most (default 8); more wait their turn. */
  issuerMaxConcurrency: 'ISSUER_MAX_CONCURRENCY',
  logLevel: 'LOG_LEVEL',
  /** Set by the Lambda runtime, never by the stack: names the function in its logs. */
  lambdaFunctionName: 'AWS_LAMBDA_FUNCTION_NAME',
} as const;
