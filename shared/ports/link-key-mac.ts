/**
 * A MAC under a key only the vault holds (KMS GenerateMac, HMAC_SHA_256, in AWS; an HMAC key
 * kept with the local keys elsewhere). A hosted link's secrets are derived with it from its
 * token's hash, so holding the URL is not enough to compute them (issue 20, item 4).
 */
export interface LinkKeyMac {
  /** Hex HMAC-SHA-256 of `message`. */
  mac(message: string): Promise<string>;
}
