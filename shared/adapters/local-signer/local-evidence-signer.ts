import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EvidenceJwk, EvidenceSigner } from '../../ports/evidence-signer.js';
import { evidenceJwk } from '../evidence-jwk.js';

/**
 * `EvidenceSigner` for the local stack and tests: a P-256 key in a PKCS#8 PEM file beside the
 * local cipher's keys, created on first use the way the cipher's key file is (mode 0600, linked
 * into place so two processes starting together agree on one key).
 */
export class LocalEvidenceSigner implements EvidenceSigner {
  readonly #privateKey: KeyObject;
  readonly #jwk: EvidenceJwk;

  constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    this.#jwk = evidenceJwk(createPublicKey(privateKey));
  }

  async currentKeyId(): Promise<string> {
    return this.#jwk.kid;
  }

  async sign(message: Uint8Array) {
    // ieee-p1363 is JOSE's r || s; Node's default would be DER.
    const signature = sign('sha256', message, { key: this.#privateKey, dsaEncoding: 'ieee-p1363' });
    return { kid: this.#jwk.kid, signature: new Uint8Array(signature) };
  }

  async publicKeys(): Promise<readonly EvidenceJwk[]> {
    return [this.#jwk];
  }
}

/** The evidence key's file: beside the local cipher's key file, in the same private directory. */
export function evidenceKeyFileBeside(cipherKeyFile: string): string {
  return `${dirname(cipherKeyFile)}/evidence-signing-key.pem`;
}

export async function createLocalEvidenceSigner(options: { keyFile: string }): Promise<LocalEvidenceSigner> {
  return new LocalEvidenceSigner(await loadOrCreateKey(options.keyFile));
}

async function loadOrCreateKey(path: string): Promise<KeyObject> {
  try {
    return createPrivateKey(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`Key file ${path} is not a PEM key`);
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return createPrivateKey(await readFile(path, 'utf8'));
  } finally {
    await rm(temp, { force: true });
  }
}
