import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { DependencyUnavailableError } from '../../domain/errors.js';
import type { LinkKeyMac } from '../../ports/link-key-mac.js';

/**
 * `LinkKeyMac` on a KMS HMAC_256 key: the key never leaves KMS, so neither the table nor the
 * function's memory holds what derives a link's reveal key. The SDK's standard mode retries
 * throttling and 5xx; what is left is a fault (`DependencyUnavailableError`, cause kept).
 */
export class KmsLinkMac implements LinkKeyMac {
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async mac(message: string): Promise<string> {
    let mac: Uint8Array | undefined;
    try {
      ({ Mac: mac } = await this.client.send(
        new GenerateMacCommand({
          KeyId: this.keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(message, 'utf8'),
        }),
      ));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'UnknownError';
      throw new DependencyUnavailableError(`KMS GenerateMac failed (${name})`, {}, { cause: error });
    }
    if (!mac) throw new DependencyUnavailableError('KMS GenerateMac returned no MAC');
    return Buffer.from(mac).toString('hex');
  }
}

/** One client per cold start, the SDK's standard retries (3 attempts). */
export function createKmsLinkMac(options: { keyId: string; region?: string }): KmsLinkMac {
  const { keyId, region } = options;
  return new KmsLinkMac(
    new KMSClient({ ...(region ? { region } : {}), retryMode: 'standard', maxAttempts: 3 }),
    keyId,
  );
}
