/** Binds a ciphertext to one card of one tenant (KMS encryption context / AES-GCM AAD). */
export interface EncryptionContext {
  readonly tenantId: string;
  readonly cardId: string;
}

/** What is sealed for one card: the code and, for brands that use one, its PIN. */
export interface SealedSecret {
  readonly code: string;
  readonly pin?: string;
}

/**
 * Encrypts card secrets and fingerprints codes. Implementations: KMS (AWS) and a local
 * AES-256-GCM + HMAC-SHA-256 cipher. Errors never contain the plaintext.
 */
export interface CodeCipher {
  /** Returns an opaque base64 ciphertext bound to `context`. */
  encrypt(secret: SealedSecret, context: EncryptionContext): Promise<string>;
  /**
   * Opens a ciphertext. Throws `CiphertextRejectedError` when it does not open under
   * `context` (moved to another card, tampered, other key).
   */
  decrypt(ciphertext: string, context: EncryptionContext): Promise<SealedSecret>;
  /**
   * Keyed fingerprint (hex) of `fingerprintInput(brand, normalizedCode)` (domain/brand.ts): the same
   * code of the same brand, however it was spelled, gives the same fingerprint (F6).
   */
  fingerprint(input: string): Promise<string>;
}

/** What a deposit needs: seal a code and fingerprint it, never open one (no kms:Decrypt). */
export type CodeSealer = Pick<CodeCipher, 'encrypt' | 'fingerprint'>;

/** What reveal and reports need: open a sealed code, and nothing else. */
export type CodeOpener = Pick<CodeCipher, 'decrypt'>;
