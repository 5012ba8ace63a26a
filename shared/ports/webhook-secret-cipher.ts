/** Binds a sealed signing secret to one endpoint of one tenant (KMS encryption context / AES-GCM AAD). */
export interface WebhookSecretContext {
  readonly tenantId: string;
  readonly endpointId: string;
}

/**
 * Seals webhook signing secrets (`whsec_...`) so that nothing stored lets its reader sign a
 * webhook (issue 20 item 3). Implementations: KMS (a key of its own, not the code key) and the
 * local AES-256-GCM cipher. Errors never contain the plaintext.
 */
export interface WebhookSecretCipher {
  /** Returns an opaque base64 ciphertext bound to `context`. */
  seal(secret: string, context: WebhookSecretContext): Promise<string>;
  /**
   * Opens a sealed secret. Throws `CiphertextRejectedError` when it does not open under `context`
   * (copied to another endpoint or tenant, tampered, other key).
   */
  open(sealed: string, context: WebhookSecretContext): Promise<string>;
}

/** The api function: mints and seals secrets, never opens one (kms:Encrypt only). */
export type WebhookSecretSealer = Pick<WebhookSecretCipher, 'seal'>;

/** The dispatcher: opens secrets to sign deliveries, never seals one (kms:Decrypt only). */
export type WebhookSecretOpener = Pick<WebhookSecretCipher, 'open'>;
