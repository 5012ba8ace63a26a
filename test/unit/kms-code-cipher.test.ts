import { randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  type DecryptCommandInput,
  DisabledException,
  EncryptCommand,
  type EncryptCommandInput,
  GenerateMacCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { KmsCodeCipher } from '../../shared/adapters/kms/kms-code-cipher.js';
import { CiphertextRejectedError, DependencyUnavailableError } from '../../shared/domain/errors.js';
import type { EncryptionContext } from '../../shared/ports/code-cipher.js';

const CODE_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/code-key';
const MAC_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/mac-key';
const CODE = 'GIFT-7Q4M-XK2P-99ZA';
const card1: EncryptionContext = { tenantId: 'tenant-1', cardId: 'card-1' };

const kms = mockClient(KMSClient);

function aCipher(): KmsCodeCipher {
  const client = new KMSClient({ region: 'eu-west-1' });
  return new KmsCodeCipher({
    client,
    codeKeyId: CODE_KEY,
    fingerprintKeyId: MAC_KEY,
    retry: { baseDelayMs: 0 },
  });
}

/** ThrottlingException is not modelled by the KMS client; the SDK surfaces it as a service exception. */
function throttled(attempts?: number): KMSServiceException {
  return new KMSServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'Rate exceeded',
    $metadata: attempts === undefined ? {} : { attempts },
  });
}

/** Stands in for KMS: a ciphertext opens only with the key and the exact context it was sealed with. */
function fakeKms(): void {
  const sealed = new Map<string, { input: EncryptCommandInput }>();
  kms.on(EncryptCommand).callsFake((input: EncryptCommandInput) => {
    const blob = randomBytes(32);
    sealed.set(blob.toString('hex'), { input });
    return { CiphertextBlob: blob, KeyId: input.KeyId };
  });
  kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
    const entry = sealed.get(Buffer.from(input.CiphertextBlob ?? []).toString('hex'));
    if (!entry || entry.input.KeyId !== input.KeyId) {
      throw new IncorrectKeyException({ message: 'incorrect key', $metadata: {} });
    }
    if (JSON.stringify(entry.input.EncryptionContext) !== JSON.stringify(input.EncryptionContext)) {
      throw new InvalidCiphertextException({ message: 'invalid ciphertext', $metadata: {} });
    }
    return { Plaintext: entry.input.Plaintext, KeyId: input.KeyId };
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

describe('KmsCodeCipher', () => {
  beforeEach(() => {
    kms.reset();
    fakeKms();
  });

  it('encrypts with the code key and exactly { tenantId, cardId } as encryption context', async () => {
    const contextWithExtras = { ...card1, sellerId: 'seller-9' };
    const ciphertext = await aCipher().encrypt({ code: CODE, pin: '1234' }, contextWithExtras);

    const [call] = kms.commandCalls(EncryptCommand);
    const input = call?.args[0].input;
    expect(input?.KeyId).toBe(CODE_KEY);
    expect(input?.EncryptionContext).toStrictEqual({ tenantId: 'tenant-1', cardId: 'card-1' });
    expect(JSON.parse(Buffer.from(input?.Plaintext ?? []).toString('utf8'))).toEqual({
      code: CODE,
      pin: '1234',
    });
    expect(Buffer.from(ciphertext, 'base64')).toHaveLength(32);
  });

  it('decrypts with the code key pinned and the same exact encryption context', async () => {
    const cipher = aCipher();
    const ciphertext = await cipher.encrypt({ code: CODE }, card1);

    await expect(cipher.decrypt(ciphertext, card1)).resolves.toEqual({ code: CODE });
    const input = kms.commandCalls(DecryptCommand)[0]?.args[0].input;
    expect(input?.KeyId).toBe(CODE_KEY);
    expect(input?.EncryptionContext).toStrictEqual({ tenantId: 'tenant-1', cardId: 'card-1' });
  });

  it('rejects a ciphertext moved to another card or another tenant', async () => {
    const cipher = aCipher();
    const ciphertext = await cipher.encrypt({ code: CODE }, card1);

    const other = [
      { ...card1, cardId: 'card-2' },
      { ...card1, tenantId: 'tenant-2' },
    ];
    for (const context of other) {
      const error = await rejectionOf(cipher.decrypt(ciphertext, context));
      expect(error).toBeInstanceOf(CiphertextRejectedError);
      expect(error.cause).toBeInstanceOf(InvalidCiphertextException);
    }
  });

  it('rejects a ciphertext sealed under another key', async () => {
    kms.on(DecryptCommand).rejects(new IncorrectKeyException({ message: 'incorrect key', $metadata: {} }));
    await expect(aCipher().decrypt('AAAA', card1)).rejects.toBeInstanceOf(CiphertextRejectedError);
  });

  it('retries a throttled call and then succeeds', async () => {
    kms
      .on(EncryptCommand)
      .rejectsOnce(throttled())
      .resolves({ CiphertextBlob: Buffer.from('blob') });
    kms
      .on(GenerateMacCommand)
      .rejectsOnce(throttled())
      .resolves({ Mac: Buffer.from([0xab]) });
    const cipher = aCipher();

    await expect(cipher.encrypt({ code: CODE }, card1)).resolves.toBe(Buffer.from('blob').toString('base64'));
    await expect(cipher.fingerprint(CODE)).resolves.toBe('ab');
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(2);
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(2);
  });

  it('gives up after three attempts and reports the dependency as unavailable', async () => {
    kms.on(DecryptCommand).rejects(throttled());

    const error = await rejectionOf(aCipher().decrypt('AAAA', card1));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error.cause as Error).name).toBe('ThrottlingException');
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(3);
  });

  it('does not add retries on top of those the SDK already made', async () => {
    kms.on(EncryptCommand).rejects(throttled(3));
    await expect(aCipher().encrypt({ code: CODE }, card1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(1);
  });

  it('leaves throttling retries to a retrying SDK client instead of multiplying them', async () => {
    // Real SDK middleware this time; only the HTTP layer is faked, so no network is touched.
    kms.send.callThrough();
    let requests = 0;
    const client = new KMSClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryMode: 'standard',
      maxAttempts: 3,
      requestHandler: {
        handle: async () => {
          requests += 1;
          const body = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });
          const headers = { 'content-type': 'application/x-amz-json-1.1' };
          return { response: { statusCode: 400, headers, body: Buffer.from(body) } };
        },
      },
    });
    const cipher = new KmsCodeCipher({ client, codeKeyId: CODE_KEY, fingerprintKeyId: MAC_KEY });
    vi.useFakeTimers();
    try {
      const result = rejectionOf(cipher.fingerprint(CODE));
      await vi.runAllTimersAsync();
      const error = await result;
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect((error.cause as Error).name).toBe('ThrottlingException');
    } finally {
      vi.useRealTimers();
    }
    expect(requests).toBe(3);
  });

  it('does not retry a fault that a retry cannot fix', async () => {
    kms.on(EncryptCommand).rejects(new DisabledException({ message: 'key disabled', $metadata: {} }));
    await expect(aCipher().encrypt({ code: CODE }, card1)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(kms.commandCalls(EncryptCommand)).toHaveLength(1);
  });

  it('fingerprints with GenerateMac on the HMAC key and HMAC_SHA_256, as hex', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: Buffer.from([0x01, 0xfe]) });

    await expect(aCipher().fingerprint(CODE)).resolves.toBe('01fe');
    const input = kms.commandCalls(GenerateMacCommand)[0]?.args[0].input;
    expect(input?.KeyId).toBe(MAC_KEY);
    expect(input?.MacAlgorithm).toBe('HMAC_SHA_256');
    expect(Buffer.from(input?.Message ?? []).toString('utf8')).toBe(CODE);
  });

  it('never puts the plaintext code in an error message', async () => {
    const cipher = aCipher();
    const ciphertext = await cipher.encrypt({ code: CODE }, card1);
    const errors = [await rejectionOf(cipher.decrypt(ciphertext, { ...card1, cardId: 'card-2' }))];

    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from(`not json ${CODE}`) });
    errors.push(await rejectionOf(cipher.decrypt(ciphertext, card1)));
    kms.on(EncryptCommand).rejects(throttled());
    errors.push(await rejectionOf(cipher.encrypt({ code: CODE }, card1)));
    kms.on(GenerateMacCommand).rejects(throttled());
    errors.push(await rejectionOf(cipher.fingerprint(CODE)));

    expect(errors).toHaveLength(4);
    for (const error of errors) {
      for (let e: unknown = error; e instanceof Error; e = e.cause) {
        expect(`${e.message}\n${e.stack}`).not.toContain(CODE);
      }
    }
  });
});
