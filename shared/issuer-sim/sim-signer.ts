import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { IssuerAnswerKey } from '../domain/issuer-answer.js';

/**
 * Signs the simulated issuer's answers as docs/issuer-protocol.md "Signed answers" says, with
 * node:crypto, apart from the vault's verifier (WebCrypto), so each is checked against the text.
 */
export class SimSigner {
  readonly publicKey: IssuerAnswerKey;

  /** `privateKey`: an Ed25519 or P-256 key; a fresh Ed25519 key when none is given. */
  constructor(private readonly privateKey: KeyObject = generateKeyPairSync('ed25519').privateKey) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    this.publicKey =
      jwk.kty === 'OKP'
        ? { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x) }
        : { kty: 'EC', crv: 'P-256', x: String(jwk.x), y: String(jwk.y) };
  }

  /** The `Card-Vault-Answer-Signature` value for `body` sent in answer to `requestId`. */
  header(requestId: string, body: string): string {
    const input = Buffer.from(`card-vault-answer/1\n${requestId}\n${body}`, 'utf8');
    const ec = this.publicKey.kty === 'EC';
    const signature = ec
      ? sign('sha256', input, { key: this.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(null, input, this.privateKey);
    return `v1=${signature.toString('base64url')}`;
  }
}
