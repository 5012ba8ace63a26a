/**
 * When a failed delivery is tried again: exponential backoff from `baseSeconds`, doubling per
 * attempt and capped at `maxDelaySeconds`, until `giveUpAfterSeconds` (3 days by default) after
 * the first attempt; then the delivery is failed for good. Tests shorten the base through config.
 */
export interface WebhookRetryPolicy {
  readonly baseSeconds: number;
  readonly maxDelaySeconds: number;
  readonly giveUpAfterSeconds: number;
  /** Consecutive final failures after which an endpoint is disabled. */
  readonly disableAfterFailures: number;
}

export const defaultWebhookRetryPolicy: WebhookRetryPolicy = {
  baseSeconds: 30,
  maxDelaySeconds: 6 * 3600,
  giveUpAfterSeconds: 3 * 24 * 3600,
  disableAfterFailures: 5,
};

/**
 * The next attempt's time after attempt number `attempt` (1 = the first) failed, or undefined when
 * the delivery has run out of time and is failed.
 */
export function nextAttemptAt(
  policy: WebhookRetryPolicy,
  firstAttemptAt: Date,
  attempt: number,
  failedAt: Date,
): Date | undefined {
  const delay = Math.min(policy.baseSeconds * 2 ** Math.max(0, attempt - 1), policy.maxDelaySeconds);
  const next = new Date(failedAt.getTime() + delay * 1000);
  const deadline = firstAttemptAt.getTime() + policy.giveUpAfterSeconds * 1000;
  return next.getTime() > deadline ? undefined : next;
}
