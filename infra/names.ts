/**
 * Names the deployed stack and the operator tools share (no CDK import: the admin CLI loads it).
 */
/** The stack's output names; the admin CLI reads `TableName`. */
export const OUTPUTS = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  codeKeyArn: 'CodeKeyArn',
  fingerprintKeyArn: 'FingerprintKeyArn',
  evidenceKeyArn: 'EvidenceKeyArn',
  webhookSecretKeyArn: 'WebhookSecretKeyArn',
  alarmTopicArn: 'AlarmTopicArn',
} as const;

export function stackName(stage: string): string {
  return `CardVault-${stage}`;
}

/**
 * Issuer secrets (a brand's hmac key or bearer token, docs/issuer-protocol.md "Authentication")
 * are Secrets Manager secrets named under this prefix: the only ones the functions may read.
 */
export const ISSUER_SECRET_PREFIX = 'card-vault/issuers/';

/** The `source` of the scheduled event that runs the reveal function's recheck job (not an HTTP request). */
export const RECHECK_EVENT_SOURCE = 'card-vault.recheck';

/** The `source` of the scheduled event that runs the webhook dispatcher (it reads nothing else of it). */
export const WEBHOOK_DISPATCH_EVENT_SOURCE = 'card-vault.webhook-dispatch';
