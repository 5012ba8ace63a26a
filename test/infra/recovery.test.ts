import { readFileSync } from 'node:fs';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  roleLogicalId,
  roleStatements,
  type Statement,
  type Synthesized,
  synth,
} from './synth.js';

const doc = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const RECOVERY_DOCS = { deploy: doc('../../docs/deploy.md'), operations: doc('../../docs/operations.md') };

/** The account and region the stack is deployed to, for resolving its pseudo parameters. */
const ENV = { 'AWS::Partition': 'aws', 'AWS::AccountId': '111122223333', 'AWS::Region': 'eu-west-1' };

/** A template value with only pseudo parameters in it, as CloudFormation resolves it. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: keyof typeof ENV; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref !== undefined) {
    const pseudo = ENV[v.Ref];
    if (pseudo === undefined) throw new Error(`not a pseudo parameter: ${v.Ref}`);
    return pseudo;
  }
  if (v['Fn::Join']) return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/**
 * KMS's answer to `action` by `principalArn` with an encryption context of `contextKeys`, for the
 * operators this key policy uses: any matching Deny wins; otherwise the root statement lets IAM
 * policies decide (the role's own grant is checked separately).
 */
function deniedByKeyPolicy(policy: Statement[], action: string, principalArn: string, contextKeys: string[]) {
  const holds = (operator: string, key: string, expected: unknown): boolean => {
    const values = ([] as unknown[]).concat(expected).map(resolve);
    if (operator === 'StringNotEquals' && key === 'aws:PrincipalArn') return !values.includes(principalArn);
    if (operator === 'Null' && key.startsWith('kms:EncryptionContext:')) {
      const present = contextKeys.includes(key.slice('kms:EncryptionContext:'.length));
      return values[0] === 'true' ? !present : present;
    }
    if (operator === 'ForAnyValue:StringNotEquals' && key === 'kms:EncryptionContextKeys') {
      return contextKeys.some((k) => !values.includes(k));
    }
    throw new Error(`operator not modelled: ${operator} ${key}`);
  };
  return policy
    .filter((st) => st.Effect === 'Deny' && actionsOf(st).includes(action))
    .filter((st) =>
      Object.entries(st.Condition ?? {}).every(([operator, keys]) =>
        Object.entries(keys).every(([key, expected]) => holds(operator, key, expected)),
      ),
    )
    .map((st) => st.Sid);
}

describe('recovery after cdk destroy (the table and keys are retained, everything else is created again)', () => {
  let first: Synthesized;
  let redeploy: Synthesized;
  beforeAll(() => {
    first = synth('prod', 'stub');
    redeploy = synth('prod', 'stub');
  });
  afterAll(() => {
    first.cleanup();
    redeploy.cleanup();
  });

  const logicalId = (s: Synthesized, c: { node: { defaultChild?: unknown } }) =>
    s.stack.getLogicalId(c.node.defaultChild as never);
  const retained = (s: Synthesized) => ({
    table: logicalId(s, s.stack.table.table),
    codeKey: logicalId(s, s.stack.keys.codeKey),
    fingerprintKey: logicalId(s, s.stack.keys.fingerprintKey),
  });
  const resource = (s: Synthesized, id: string) => s.template.toJSON().Resources[id];
  const roleNameOf = (s: Synthesized, name: 'api' | 'deposit' | 'reveal' | 'sweeper') =>
    resolve(resource(s, roleLogicalId(s.stack, name)).Properties.RoleName);

  it('gives every function role a fixed name (stack, function, region), the same in a redeploy', () => {
    const roles = first.template.findResources('AWS::IAM::Role');
    const lambdaRoles = Object.values(roles).filter((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    );
    expect(lambdaRoles).toHaveLength(6);
    for (const role of lambdaRoles)
      expect(resolve(role.Properties.RoleName)).toMatch(/^CardVault-prod-\w+-eu-west-1$/);
    expect(roleNameOf(first, 'reveal')).toBe('CardVault-prod-Reveal-eu-west-1');
    expect(roleNameOf(redeploy, 'reveal')).toBe(roleNameOf(first, 'reveal'));
    const cfnRole = first.stack.functions.reveal.role.node.defaultChild as CfnRole;
    expect(first.stack.getLogicalId(cfnRole)).toBe(logicalId(redeploy, redeploy.stack.functions.reveal.role));
  });

  it('lets `cdk import` adopt the table and both keys alone: retained, and referencing no other resource', () => {
    expect(retained(redeploy)).toEqual(retained(first));
    for (const id of Object.values(retained(first))) {
      const r = resource(first, id);
      expect(r.DeletionPolicy, id).toBe('Retain');
      // Only pseudo parameters: a Ref or GetAtt to a role would not exist when the import creates the stack.
      const refs = [...JSON.stringify(r.Properties).matchAll(/"(?:Ref|Fn::GetAtt)":\s*\[?"([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(
        refs.filter((ref) => !ref?.startsWith('AWS::')),
        id,
      ).toEqual([]);
    }
  });

  // Without a mapping, `cdk import` asks for an identifier of every importable resource the
  // template adds (most of its ~120), each to be skipped by hand; the mapping names the three.
  it('gives docs/deploy.md and docs/operations.md an import naming the table and both keys by logical id, and nothing else', () => {
    const ids = retained(first);
    for (const [name, text] of Object.entries(RECOVERY_DOCS)) {
      const command = /npx cdk import -c stage=dev --resource-mapping-inline '([^']+)'/.exec(text);
      expect(command, name).not.toBeNull();
      expect(JSON.parse(command?.[1] ?? '{}'), name).toEqual({
        [ids.table]: { TableName: expect.any(String) },
        [ids.codeKey]: { KeyId: expect.any(String) },
        [ids.fingerprintKey]: { KeyId: expect.any(String) },
      });
    }
  });

  it("keeps the reveal role's Decrypt on the imported code key, and still denies every other role", () => {
    const policyOf = (s: Synthesized) =>
      resource(s, retained(s).codeKey).Properties.KeyPolicy.Statement as Statement[];
    // What the retained key holds (written by the first deploy) is what the redeploy's template says.
    expect(policyOf(redeploy)).toEqual(policyOf(first));
    const arn = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
    const context = ['tenantId', 'cardId'];
    const revealArn = arn(roleNameOf(redeploy, 'reveal'));
    expect(deniedByKeyPolicy(policyOf(first), 'kms:Decrypt', revealArn, context)).toEqual([]);
    expect(
      deniedByKeyPolicy(policyOf(first), 'kms:Decrypt', arn(roleNameOf(redeploy, 'deposit')), context),
    ).toEqual(['OnlyRevealDecrypts']);
    expect(deniedByKeyPolicy(policyOf(first), 'kms:Decrypt', revealArn, ['tenantId'])).toContain(
      'DenyWithoutCardIdContext',
    );
    // The root statement lets the account's IAM policies decide, and the recreated role's grants Decrypt on that key.
    expect(policyOf(first)).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: 'kms:*', Principal: { AWS: expect.anything() } }),
    );
    const grants = roleStatements(redeploy.template, roleLogicalId(redeploy.stack, 'reveal')).filter(
      (st) => st.Effect === 'Allow' && actionsOf(st).includes('kms:Decrypt'),
    );
    expect(grants.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [retained(first).codeKey, 'Arn'] }]);
  });

  it('keeps the deposit role alone able to fingerprint with the imported fingerprint key', () => {
    const policy = resource(first, retained(first).fingerprintKey).Properties.KeyPolicy
      .Statement as Statement[];
    const arn = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
    expect(deniedByKeyPolicy(policy, 'kms:GenerateMac', arn(roleNameOf(redeploy, 'deposit')), [])).toEqual(
      [],
    );
    expect(deniedByKeyPolicy(policy, 'kms:GenerateMac', arn(roleNameOf(redeploy, 'reveal')), [])).toEqual([
      'OnlyDepositFingerprints',
    ]);
  });
});
