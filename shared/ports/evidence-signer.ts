/** A public key of the evidence signer as a JWK (RFC 7517): an EC P-256 key for ES256. */
export interface EvidenceJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
}

/**
 * Signs evidence bundles with ES256 (ECDSA P-256, SHA-256). Implementations: a KMS asymmetric key
 * (`ECC_NIST_P256`, `SIGN_VERIFY`) in AWS, a P-256 key kept with the local keys elsewhere.
 * Signatures are JOSE's: `r || s`, 32 bytes each (RFC 7518 §3.4), never DER.
 */
export interface EvidenceSigner {
  /** The `kid` the next signature will be made under (it goes into the protected header first). */
  currentKeyId(): Promise<string>;
  /** ES256 over `message`, made with the key `currentKeyId()` names; 64 bytes. */
  sign(message: Uint8Array): Promise<{ readonly kid: string; readonly signature: Uint8Array }>;
  /** Every key a bundle may be verified with: the current one and those kept from before. */
  publicKeys(): Promise<readonly EvidenceJwk[]>;
}
