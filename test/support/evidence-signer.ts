import { generateKeyPairSync } from 'node:crypto';
import { LocalEvidenceSigner } from '../../shared/adapters/local-signer/local-evidence-signer.js';

/** A local evidence signer on a fresh P-256 key, for vaults built by hand in tests. */
export function aTestEvidenceSigner(): LocalEvidenceSigner {
  return new LocalEvidenceSigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
}
