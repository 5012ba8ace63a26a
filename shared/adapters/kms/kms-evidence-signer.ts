import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { DependencyUnavailableError } from '../../domain/errors.js';
import type { EvidenceJwk, EvidenceSigner } from '../../ports/evidence-signer.js';
import { evidenceJwk } from '../evidence-jwk.js';
import { derToJose } from './der-signature.js';

export interface KmsEvidenceSignerOptions {
  readonly client: KMSClient;
  /** The `ECC_NIST_P256` / `SIGN_VERIFY` key bundles are signed with. */
  readonly keyId: string;
  /** Keys that signed before, published for verification only (never used to sign). */
  readonly previousKeyIds?: readonly string[];
}

/**
 * `EvidenceSigner` on a KMS asymmetric key. The bundle's SHA-256 is computed here and sent as a
 * `DIGEST` (KMS takes at most 4 KB of raw message, and a bundle is larger); KMS's DER signature is
 * turned into JOSE's r||s. Public keys are read once per cold start (they never change for a key).
 */
export class KmsEvidenceSigner implements EvidenceSigner {
  readonly #client: KMSClient;
  readonly #keyId: string;
  readonly #previous: readonly string[];
  readonly #jwks = new Map<string, Promise<EvidenceJwk>>();

  constructor({ client, keyId, previousKeyIds = [] }: KmsEvidenceSignerOptions) {
    this.#client = client;
    this.#keyId = keyId;
    this.#previous = previousKeyIds.filter((k) => k !== keyId);
  }

  async currentKeyId(): Promise<string> {
    return (await this.#jwk(this.#keyId)).kid;
  }

  async sign(message: Uint8Array) {
    const kid = await this.currentKeyId();
    const digest = createHash('sha256').update(message).digest();
    const { Signature } = await this.#call('Sign', () =>
      this.#client.send(
        new SignCommand({
          KeyId: this.#keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    if (!Signature) throw new DependencyUnavailableError('KMS Sign returned no signature');
    return { kid, signature: derToJose(Signature) };
  }

  async publicKeys(): Promise<readonly EvidenceJwk[]> {
    return Promise.all([this.#keyId, ...this.#previous].map((k) => this.#jwk(k)));
  }

  #jwk(keyId: string): Promise<EvidenceJwk> {
    let known = this.#jwks.get(keyId);
    if (!known) {
      known = this.#readPublicKey(keyId);
      // A failed read is asked again next time, not remembered.
      known.catch(() => this.#jwks.delete(keyId));
      this.#jwks.set(keyId, known);
    }
    return known;
  }

  async #readPublicKey(keyId: string): Promise<EvidenceJwk> {
    const answer = await this.#call('GetPublicKey', () =>
      this.#client.send(new GetPublicKeyCommand({ KeyId: keyId })),
    );
    if (!answer.PublicKey || answer.KeySpec !== 'ECC_NIST_P256' || answer.KeyUsage !== 'SIGN_VERIFY') {
      throw new DependencyUnavailableError(`KMS key ${keyId} is not an ECC_NIST_P256 signing key`);
    }
    return evidenceJwk(createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' }));
  }

  async #call<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      // The SDK's standard retry mode has already retried throttling and 5xx.
      throw new DependencyUnavailableError(`KMS ${operation} failed (${name})`, {}, { cause: error });
    }
  }
}

/** The signer on a KMS client with the SDK's standard retries; create it once per cold start. */
export function createKmsEvidenceSigner(options: { keyId: string; region?: string }): KmsEvidenceSigner {
  const client = new KMSClient({
    ...(options.region ? { region: options.region } : {}),
    retryMode: 'standard',
    maxAttempts: 3,
  });
  return new KmsEvidenceSigner({ client, keyId: options.keyId });
}
