import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerIssuerSecrets } from '../../shared/adapters/issuer/secrets-manager-issuer-secrets.js';
import { DependencyUnavailableError } from '../../shared/domain/errors.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:card-vault/issuers/acme-AbCdEf';
const sm = mockClient(SecretsManagerClient);

function secrets(ttlSeconds = 300) {
  let now = Date.parse('2026-12-07T12:00:00Z');
  const store = new SecretsManagerIssuerSecrets({
    client: new SecretsManagerClient({ region: 'eu-west-1' }),
    ttlSeconds,
    clock: { now: () => new Date(now) },
  });
  const advance = (seconds: number) => {
    now += seconds * 1000;
  };
  return { store, advance };
}

beforeEach(() => sm.reset());

describe('SecretsManagerIssuerSecrets', () => {
  it('reads a secret by ARN or name, keeps it for the TTL, and reads the rotated one after it', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN })
      .resolvesOnce({ SecretString: 'v1' })
      .resolves({ SecretString: 'v2' });
    const { store, advance } = secrets(300);
    expect(await Promise.all([store.get(ARN), store.get(ARN)])).toEqual(['v1', 'v1']);
    advance(299);
    expect(await store.get(ARN)).toBe('v1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    advance(1);
    expect(await store.get(ARN)).toBe('v2');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('turns a missing secret into DependencyUnavailableError with its cause, and does not keep the failure', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .resolves({ SecretString: 'back' });
    const { store } = secrets();
    const error = await store.get('card-vault/issuers/acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as Error).message).toMatch(/ResourceNotFoundException/);
    expect((error as Error).cause).toBeInstanceOf(ResourceNotFoundException);
    expect(await store.get('card-vault/issuers/acme')).toBe('back');
  });

  it('refuses a binary or empty secret without quoting anything', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    const { store } = secrets();
    await expect(store.get(ARN)).rejects.toThrow(/holds no string/);
  });

  it('refuses a TTL beyond an hour: a rotation must reach running functions', () => {
    expect(() => secrets(3601)).toThrow(RangeError);
  });
});
