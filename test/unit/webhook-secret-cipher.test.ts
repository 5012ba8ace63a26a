import { randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  type DecryptCommandInput,
  EncryptCommand,
  type EncryptCommandInput,
  InvalidCiphertextException,
  KMSClient,
  KMSServiceException,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsWebhookSecretCipher } from '../../shared/adapters/kms/kms-webhook-secret-cipher.js';
import { LocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import { LocalWebhookSecretCipher } from '../../shared/adapters/local-cipher/local-webhook-secret-cipher.js';
import { CiphertextRejectedError, DependencyUnavailableError } from '../../shared/domain/errors.js';
import type { WebhookSecretContext } from '../../shared/ports/webhook-secret-cipher.js';

const SECRET_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/webhook-secret-key';
const SECRET = `whsec_${'Zq9'.repeat(14)}x`;
const endpoint1: WebhookSecretContext = { tenantId: 'tenant-1', endpointId: 'whk_1' };
const elsewhere: WebhookSecretContext[] = [
  { ...endpoint1, endpointId: 'whk_2' },
  { ...endpoint1, tenantId: 'tenant-2' },
];

const kms = mockClient(KMSClient);

function aCipher(): KmsWebhookSecretCipher {
  return new KmsWebhookSecretCipher({
    client: new KMSClient({ region: 'eu-west-1' }),
    keyId: SECRET_KEY,
    retry: { baseDelayMs: 0 },
  });
}

/** Stands in for KMS: a ciphertext opens only with the key and the exact context it was sealed with. */
function fakeKms(): void {
  const sealed = new Map<string, EncryptCommandInput>();
  kms.on(EncryptCommand).callsFake((input: EncryptCommandInput) => {
    const blob = randomBytes(48);
    sealed.set(blob.toString('hex'), input);
    return { CiphertextBlob: blob, KeyId: input.KeyId };
  });
  kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
    const entry = sealed.get(Buffer.from(input.CiphertextBlob ?? []).toString('hex'));
    if (
      !entry ||
      entry.KeyId !== input.KeyId ||
      JSON.stringify(entry.EncryptionContext) !== JSON.stringify(input.EncryptionContext)
    ) {
      throw new InvalidCiphertextException({ message: 'invalid ciphertext', $metadata: {} });
    }
    return { Plaintext: entry.Plaintext, KeyId: input.KeyId };
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('KmsWebhookSecretCipher', () => {
  beforeEach(() => {
    kms.reset();
    fakeKms();
  });

  it('seals with the webhook secret key and exactly { tenantId, endpointId } as encryption context', async () => {
    const sealed = await aCipher().seal(SECRET, { ...endpoint1, url: 'https://x' } as WebhookSecretContext);
    const input = kms.commandCalls(EncryptCommand)[0]?.args[0].input;
    expect(input?.KeyId).toBe(SECRET_KEY);
    expect(input?.EncryptionContext).toStrictEqual({ tenantId: 'tenant-1', endpointId: 'whk_1' });
    expect(Buffer.from(input?.Plaintext ?? []).toString('utf8')).toBe(SECRET);
    expect(sealed).not.toContain('whsec_');
    expect(Buffer.from(sealed, 'base64')).toHaveLength(48);
  });

  it('opens with the key pinned and the same exact context', async () => {
    const cipher = aCipher();
    const sealed = await cipher.seal(SECRET, endpoint1);
    await expect(cipher.open(sealed, endpoint1)).resolves.toBe(SECRET);
    const input = kms.commandCalls(DecryptCommand)[0]?.args[0].input;
    expect(input?.KeyId).toBe(SECRET_KEY);
    expect(input?.EncryptionContext).toStrictEqual({ tenantId: 'tenant-1', endpointId: 'whk_1' });
  });

  it('refuses a sealed secret copied to another endpoint or another tenant', async () => {
    const cipher = aCipher();
    const sealed = await cipher.seal(SECRET, endpoint1);
    for (const context of elsewhere) {
      const error = await rejectionOf(cipher.open(sealed, context));
      expect(error).toBeInstanceOf(CiphertextRejectedError);
      expect(error.cause).toBeInstanceOf(InvalidCiphertextException);
    }
  });

  it('retries throttling, then reports KMS unavailable; a fault no retry fixes is not retried', async () => {
    const throttled = new KMSServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: {},
    });
    kms
      .on(EncryptCommand)
      .rejectsOnce(throttled)
      .resolves({ CiphertextBlob: Buffer.from('sealed') });
    await expect(aCipher().seal(SECRET, endpoint1)).resolves.toBe(Buffer.from('sealed').toString('base64'));
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(2);

    kms.reset();
    kms.on(DecryptCommand).rejects(throttled);
    await expect(aCipher().open('AAAA', endpoint1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(3);

    kms.reset();
    kms.on(EncryptCommand).rejects(new NotFoundException({ message: 'no such key', $metadata: {} }));
    await expect(aCipher().seal(SECRET, endpoint1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(1);
  });

  it('never puts the secret in an error', async () => {
    kms.on(EncryptCommand).rejects(new NotFoundException({ message: 'no such key', $metadata: {} }));
    const error = await rejectionOf(aCipher().seal(SECRET, endpoint1));
    expect(`${error.message} ${JSON.stringify(error)} ${String(error.stack)}`).not.toContain(SECRET);
  });
});

describe('LocalWebhookSecretCipher', () => {
  const encryptionKey = randomBytes(32);
  const cipher = new LocalWebhookSecretCipher({ encryptionKey });

  it('opens what it sealed, and a sealed secret never shows it and differs on every call', async () => {
    const a = await cipher.seal(SECRET, endpoint1);
    const b = await cipher.seal(SECRET, endpoint1);
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_');
    await expect(cipher.open(a, endpoint1)).resolves.toBe(SECRET);
  });

  it('refuses a sealed secret copied to another endpoint or another tenant', async () => {
    const sealed = await cipher.seal(SECRET, endpoint1);
    for (const context of elsewhere) {
      await expect(cipher.open(sealed, context)).rejects.toBeInstanceOf(CiphertextRejectedError);
    }
  });

  it('uses a key of its own: the code cipher on the same key file opens none of its secrets, nor it a code', async () => {
    const codes = new LocalCodeCipher({ encryptionKey, fingerprintKey: randomBytes(32) });
    const sealed = await cipher.seal(SECRET, endpoint1);
    await expect(codes.decrypt(sealed, { tenantId: 'tenant-1', cardId: 'whk_1' })).rejects.toBeInstanceOf(
      CiphertextRejectedError,
    );
    const code = await codes.encrypt({ code: 'GIFT-1' }, { tenantId: 'tenant-1', cardId: 'whk_1' });
    await expect(cipher.open(code, endpoint1)).rejects.toBeInstanceOf(CiphertextRejectedError);
  });

  it('opens again with the same key file after a restart', async () => {
    const sealed = await cipher.seal(SECRET, endpoint1);
    await expect(new LocalWebhookSecretCipher({ encryptionKey }).open(sealed, endpoint1)).resolves.toBe(
      SECRET,
    );
  });
});
