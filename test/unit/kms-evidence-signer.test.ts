import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  DisabledException,
  GetPublicKeyCommand,
  KMSClient,
  SignCommand,
  type SignCommandInput,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { derToJose } from '../../shared/adapters/kms/der-signature.js';
import { KmsEvidenceSigner } from '../../shared/adapters/kms/kms-evidence-signer.js';
import { DependencyUnavailableError } from '../../shared/domain/errors.js';

const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/evidence-key';
const OLD_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/evidence-key-2025';
const kms = mockClient(KMSClient);

function aKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKey, spki: publicKey.export({ format: 'der', type: 'spki' }) };
}

function aSigner(previousKeyIds: string[] = []) {
  return new KmsEvidenceSigner({
    client: new KMSClient({ region: 'eu-west-1' }),
    keyId: KEY,
    previousKeyIds,
  });
}

describe('KmsEvidenceSigner', () => {
  const current = aKeyPair();
  const old = aKeyPair();

  beforeEach(() => {
    kms.reset();
    kms
      .on(GetPublicKeyCommand, { KeyId: KEY })
      .resolves({ PublicKey: current.spki, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    kms
      .on(GetPublicKeyCommand, { KeyId: OLD_KEY })
      .resolves({ PublicKey: old.spki, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  });

  it("sends the message's SHA-256 as a DIGEST with ECDSA_SHA_256 and answers a JOSE r||s that verifies", async () => {
    const message = new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9.eyJidW5kbGUiOnt9fQ');
    // KMS signs the digest; the mock answers what KMS would, a DER signature of the message.
    kms
      .on(SignCommand)
      .resolves({ Signature: sign('sha256', message, { key: current.privateKey, dsaEncoding: 'der' }) });
    const { kid, signature } = await aSigner().sign(message);
    const sent = kms.commandCalls(SignCommand)[0]?.args[0].input as SignCommandInput;
    expect(sent).toMatchObject({ KeyId: KEY, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(Buffer.from(sent.Message as Uint8Array)).toEqual(createHash('sha256').update(message).digest());
    expect(signature).toHaveLength(64);
    expect(verify('sha256', message, { key: current.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
      true,
    );
    expect(kid).toBe((await aSigner().publicKeys())[0]?.kid);
  });

  it('publishes the current key and the keys kept from before as EC P-256 JWKs, each with its own kid', async () => {
    const keys = await aSigner([OLD_KEY]).publicKeys();
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(keys[0]?.x).toBe(current.publicKey.export({ format: 'jwk' }).x);
    expect(keys[0]?.kid).not.toBe(keys[1]?.kid);
  });

  it('reads a public key once, however many bundles it signs', async () => {
    kms.on(SignCommand).resolves({ Signature: sign('sha256', Buffer.from('x'), current.privateKey) });
    const signer = aSigner();
    await signer.sign(Buffer.from('x'));
    await signer.sign(Buffer.from('x'));
    await signer.publicKeys();
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('refuses a key that is not an ECC_NIST_P256 signing key', async () => {
    kms
      .on(GetPublicKeyCommand)
      .resolves({ PublicKey: current.spki, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    await expect(aSigner().publicKeys()).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it("turns KMS's errors into DependencyUnavailableError, keeping the cause", async () => {
    kms.on(SignCommand).rejects(new DisabledException({ message: 'disabled', $metadata: {} }));
    const error = await aSigner()
      .sign(Buffer.from('x'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).cause).toBeInstanceOf(DisabledException);
  });
});

describe('derToJose', () => {
  it('drops the sign byte of a high integer and left-pads a short one to 32 bytes', () => {
    const r = [0x00, 0x80, ...new Array(31).fill(0x11)];
    const s = [0x01, 0x02];
    const der = Uint8Array.from([0x30, 4 + r.length + s.length, 0x02, r.length, ...r, 0x02, s.length, ...s]);
    const jose = derToJose(der);
    expect(jose).toHaveLength(64);
    expect(Array.from(jose.subarray(0, 32))).toEqual([0x80, ...new Array(31).fill(0x11)]);
    expect(Array.from(jose.subarray(32))).toEqual([...new Array(30).fill(0), 0x01, 0x02]);
  });

  it('refuses what is not an ECDSA signature', () => {
    expect(() => derToJose(Uint8Array.from([0x31, 0x00]))).toThrow();
    expect(() => derToJose(Uint8Array.from([0x30, 0x05, 0x02, 0x01, 0x01]))).toThrow();
  });
});
