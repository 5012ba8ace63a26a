import { readFile } from 'node:fs/promises';
import { DependencyUnavailableError } from '../../domain/errors.js';
import type { IssuerSecrets } from '../../ports/issuer-secrets.js';

/**
 * The local stack's issuer secrets: the `issuerSecrets` object of the local key file
 * (`LOCAL_KEY_FILE`, beside the cipher's keys), `{ "<secretRef>": "<secret>" }`. Read at every
 * check, so an edit takes effect at once, as a rotation does in AWS after the cache's TTL.
 */
export class LocalIssuerSecrets implements IssuerSecrets {
  constructor(private readonly keyFile: string) {}

  async get(ref: string): Promise<string> {
    let secrets: unknown;
    try {
      secrets = (JSON.parse(await readFile(this.keyFile, 'utf8')) as { issuerSecrets?: unknown })
        .issuerSecrets;
    } catch (error) {
      // No cause: a JSON.parse message quotes the file, key material included.
      throw new DependencyUnavailableError(
        `the local key file could not be read (${(error as Error).name})`,
        {
          dependency: 'local-key-file',
        },
      );
    }
    const secret = (secrets as Record<string, unknown> | undefined)?.[ref];
    if (typeof secret !== 'string' || secret === '') {
      throw new DependencyUnavailableError(`no issuer secret ${ref} in the local key file`, {
        dependency: 'local-key-file',
      });
    }
    return secret;
  }
}
