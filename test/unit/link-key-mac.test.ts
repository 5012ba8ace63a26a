import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DisabledException, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsLinkMac } from '../../shared/adapters/kms/kms-link-mac.js';
import { createLocalLinkMac, LocalLinkMac } from '../../shared/adapters/local-cipher/local-link-mac.js';
import { DependencyUnavailableError } from '../../shared/domain/errors.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/link-key';
const kms = mockClient(KMSClient);

describe('KmsLinkMac', () => {
  beforeEach(() => kms.reset());

  it('asks KMS for HMAC_SHA_256 of the message under the link key, and answers it in hex', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: Uint8Array.of(0xab, 0x01) });
    const mac = await new KmsLinkMac(new KMSClient({ region: 'eu-west-1' }), KEY).mac('reveal-key:abc');
    expect(mac).toBe('ab01');
    const input = kms.commandCalls(GenerateMacCommand)[0]?.args[0].input;
    expect(input?.KeyId).toBe(KEY);
    expect(input?.MacAlgorithm).toBe('HMAC_SHA_256');
    expect(Buffer.from(input?.Message ?? []).toString('utf8')).toBe('reveal-key:abc');
  });

  it('turns a KMS refusal into a dependency fault that keeps its cause and names no message', async () => {
    const refusal = new DisabledException({ message: 'key disabled', $metadata: {} });
    kms.on(GenerateMacCommand).rejects(refusal);
    const error = await new KmsLinkMac(new KMSClient({ region: 'eu-west-1' }), KEY)
      .mac('reveal-key:secret-hash')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).cause).toBe(refusal);
    expect((error as Error).message).not.toContain('secret-hash');
  });

  it('refuses an answer without a MAC', async () => {
    kms.on(GenerateMacCommand).resolves({});
    await expect(new KmsLinkMac(new KMSClient({ region: 'eu-west-1' }), KEY).mac('m')).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });
});

describe('LocalLinkMac', () => {
  it('is HMAC-SHA-256 under its key', async () => {
    const key = randomBytes(32);
    expect(await new LocalLinkMac(key).mac('m')).toBe(createHmac('sha256', key).update('m').digest('hex'));
  });

  it('derives the same key from the same key file on every start, and another from another file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'link-mac-'));
    const a = await createLocalLinkMac({ keyFile: join(dir, 'a.json') });
    const again = await createLocalLinkMac({ keyFile: join(dir, 'a.json') });
    const b = await createLocalLinkMac({ keyFile: join(dir, 'b.json') });
    expect(await again.mac('m')).toBe(await a.mac('m'));
    expect(await b.mac('m')).not.toBe(await a.mac('m'));
  });
});
