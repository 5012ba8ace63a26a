/** What one attempt gave: the receiver's status (none when it never answered) and how long it took. */
export interface TransportAttempt {
  readonly outcome: 'delivered' | 'failed';
  readonly status?: number;
  readonly latencyMs: number;
  /** Why it failed, for the delivery item and the log; never the body sent. */
  readonly error?: string;
}

/**
 * Sends one signed webhook body. The implementation checks the address again at every call (DNS
 * rebinding), keeps a deadline per attempt and never throws: every failure is an attempt record.
 */
export interface WebhookTransport {
  send(url: string, body: string, signature: string): Promise<TransportAttempt>;
}
