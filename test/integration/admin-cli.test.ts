import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { runAdminCli } from '../support/admin-cli.js';
import { useTestTable } from '../support/dynamo.js';

/**
 * The operator CLI (`npm run tenant|seller|escalation`) against DynamoDB Local, run as npm runs
 * it: a process, its exit code and what it prints.
 */
const table = useTestTable();

const cli = (...args: string[]) =>
  runAdminCli({ endpoint: inject('dynamoEndpoint'), tableName: table.tableName }, ...args);

describe('the operator CLI on DynamoDB Local', () => {
  it('names a tenant id that does not exist, for the seller and escalation commands, and exits 1', async () => {
    const created = await cli('tenant', 'create', 'Acme Market');
    expect(created.status, created.stderr).toBe(0);
    const tenantId = /tenant {3}(tnt_\w+)/.exec(created.stdout)?.[1];
    expect(tenantId).toBeDefined();

    const [reinstate, list, known] = await Promise.all([
      cli('seller', 'reinstate', 'tnt_nobody', 'slr_1', '--note', 'n', '--by', 'ops'),
      cli('escalation', 'list', 'tnt_nobody'),
      cli('escalation', 'list', tenantId ?? ''),
    ]);
    for (const run of [reinstate, list]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`no tenant tnt_nobody in table ${table.tableName}`);
    }
    // A tenant that exists and has no open escalation: says so, and no error.
    expect(known.status, known.stderr).toBe(0);
    expect(known.stdout.trim()).toBe(`no open escalation for tenant ${tenantId}`);
  });

  it('revokes a key named by its id or by the whole key, and never prints the secret', async () => {
    const created = await cli('tenant', 'create', 'Leaky Market');
    const key = /API key {2}(cvk_\S+)/.exec(created.stdout)?.[1] ?? '';
    const [, keyId = '', secret = ''] = /^cvk_([0-9a-f]+)_(.+)$/.exec(key) ?? [];
    expect(secret).not.toBe('');
    // It was refused as a malformed key id before issue 23.
    const revoked = await cli('tenant', 'revoke-key', key);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`API key ${keyId} deleted`);
    expect(revoked.stdout + revoked.stderr).not.toContain(secret);
    expect(await createDynamoStores(table).tenants.findApiKey(keyId)).toBeUndefined();
  });

  it("closes a seller's review only while one is open, and refuses an unknown outcome with the usage", async () => {
    const created = await cli('tenant', 'create', 'Review Market');
    const tenantId = /tenant {3}(tnt_\w+)/.exec(created.stdout)?.[1] ?? '';
    const [notUnderReview, unknownOutcome, nobody] = await Promise.all([
      cli('seller', 'review', tenantId, 'slr_1', 'cleared', '--note', 'n', '--by', 'ops'),
      cli('seller', 'review', tenantId, 'slr_1', 'forgiven', '--note', 'n', '--by', 'ops'),
      cli('seller', 'review', 'tnt_nobody', 'slr_1', 'cleared', '--note', 'n', '--by', 'ops'),
    ]);
    expect(notUnderReview.status).toBe(1);
    expect(notUnderReview.stderr).toContain('the seller is not under review');
    expect(unknownOutcome.status).toBe(2);
    expect(unknownOutcome.stderr).toContain('npm run seller -- review');
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('no tenant tnt_nobody');
  });

  it('refuses a brand whose issuer URL is http or carries credentials, and a loopback one for a deployed table', async () => {
    const put = (...args: string[]) =>
      cli('brand', 'put', 'cli-brand', '--code-pattern', '[A-Z0-9]{16}', ...args);
    const [plain, creds, deployed, local] = await Promise.all([
      put('--issuer-url', 'http://issuer.example'),
      put('--issuer-url', 'https://ops:hunter2@issuer.example'),
      // --table is a deployed table: its issuers are reached from AWS, never over loopback.
      put('--issuer-url', 'http://127.0.0.1:3001', '--table', 'card-vault-prod'),
      put('--issuer-url', 'http://127.0.0.1:3001/'),
    ]);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toContain('the issuer URL must be https');
    expect(creds.status).toBe(1);
    expect(creds.stderr).toContain('must not carry credentials');
    expect(creds.stderr).not.toContain('hunter2');
    expect(deployed.status).toBe(1);
    expect(deployed.stderr).toContain('loopback');
    expect(local.status, local.stderr).toBe(0);
    const [noAuth, halfAuth, withAuth] = await Promise.all([
      put('--issuer-url', 'https://bridge.example', '--table', 'card-vault-prod'),
      put('--issuer-url', 'https://bridge.example', '--auth', 'hmac', '--secret', 'card-vault/issuers/x'),
      put('--issuer-url', 'http://127.0.0.1:3001', '--auth', 'bearer', '--secret', 'card-vault/issuers/x'),
    ]);
    expect(noAuth.status).toBe(1);
    expect(noAuth.stderr).toContain('needs auth hmac or bearer');
    expect(halfAuth.status).toBe(2);
    expect(halfAuth.stderr).toContain('--auth hmac --key-id <id> --secret <ARN or name>');
    expect(withAuth.status, withAuth.stderr).toBe(0);
    expect(local.stdout).toContain('brand cli-brand -> http://127.0.0.1:3001 registered');
  }, 90_000);

  it('registers the issuer answer keys and requireSignedAnswers, refusing a private key or a requirement without a key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const dir = await mkdtemp(join(tmpdir(), 'answer-key-'));
    const file = join(dir, 'issuer.jwk');
    await writeFile(file, JSON.stringify(publicKey.export({ format: 'jwk' })));
    const secretD = String(privateKey.export({ format: 'jwk' }).d);
    const put = (name: string, ...args: string[]) =>
      cli(
        'brand',
        'put',
        name,
        '--code-pattern',
        '[A-Z0-9]{16}',
        '--issuer-url',
        'http://127.0.0.1:3001',
        ...args,
      );
    const [signed, privateOne, requiredAlone] = await Promise.all([
      put('signed-brand', '--answer-key', file, '--require-signed-answers'),
      put('private-brand', '--answer-key', JSON.stringify(privateKey.export({ format: 'jwk' }))),
      put('lonely-brand', '--require-signed-answers'),
    ]);
    expect(signed.status, signed.stderr).toBe(0);
    expect(signed.stdout).toContain('answers signed by 1 key(s): required');
    expect(privateOne.status).toBe(1);
    expect(privateOne.stderr).toContain('must be a public key');
    expect(privateOne.stderr).not.toContain(secretD);
    expect(requiredAlone.status).toBe(1);
    expect(requiredAlone.stderr).toContain('requireSignedAnswers needs an answer key');
  }, 90_000);
});
