import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnKey } from 'aws-cdk-lib/aws-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName, WebhookFunctionName } from '../../infra/function-specs.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DUE_INDEX, SELLER_INDEX } from '../../shared/adapters/dynamodb/table-definition.js';
import { newId } from '../../shared/adapters/ids/ulid-id-generator.js';
import { likeIam } from '../support/iam-calls.js';
import {
  actionsOf,
  allIdentityStatements,
  roleLogicalId,
  roleStatements,
  type Statement,
  type Synthesized,
  synth,
} from './synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synth('prod', 'stub');
});
afterAll(() => s.cleanup());

const kmsActions = (name: FunctionName) =>
  roleStatements(s.template, roleLogicalId(s.stack, name))
    .filter((st) => st.Effect === 'Allow')
    .flatMap(actionsOf)
    .filter((a) => a.startsWith('kms:') || a === '*');

const keyPolicy = (
  key: 'codeKey' | 'fingerprintKey' | 'evidenceKey' | 'webhookSecretKey' | 'linkKey',
): Statement[] => {
  const id = s.stack.getLogicalId(s.stack.keys[key].node.defaultChild as CfnKey);
  return s.template.findResources('AWS::KMS::Key')[id]?.Properties.KeyPolicy.Statement;
};

const keyArn = (key: 'codeKey' | 'fingerprintKey' | 'evidenceKey' | 'webhookSecretKey' | 'linkKey') => ({
  'Fn::GetAtt': [s.stack.getLogicalId(s.stack.keys[key].node.defaultChild as CfnKey), 'Arn'],
});
const dispatcherRoleId = () =>
  s.stack.getLogicalId(s.stack.webhooks.dispatcher.role.node.defaultChild as CfnRole);

/** The role's ARN as the key policies name it: built from its fixed name (test/infra/recovery.test.ts). */
const roleArn = (name: FunctionName | WebhookFunctionName) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':iam::',
      { Ref: 'AWS::AccountId' },
      `:role/CardVault-prod-${name[0]?.toUpperCase()}${name.slice(1)}-`,
      { Ref: 'AWS::Region' },
    ],
  ],
});

describe('KMS rights', () => {
  it('lets only the reveal role decrypt codes (the dispatcher decrypts webhook secrets alone)', () => {
    const decrypters = Object.keys(s.template.findResources('AWS::IAM::Role')).filter((roleId) =>
      roleStatements(s.template, roleId)
        .filter((st) => st.Effect === 'Allow')
        .flatMap(actionsOf)
        .some((a) => a === 'kms:Decrypt' || a === 'kms:*' || a === '*'),
    );
    expect(decrypters.sort()).toEqual([roleLogicalId(s.stack, 'reveal'), dispatcherRoleId()].sort());
    expect(kmsActions('reveal').sort()).toEqual(['kms:Decrypt', 'kms:GenerateMac']);
    const onCodeKey = (roleId: string) =>
      roleStatements(s.template, roleId).filter(
        (st) => JSON.stringify(st.Resource) === JSON.stringify(keyArn('codeKey')),
      );
    expect(onCodeKey(dispatcherRoleId())).toEqual([]);
  });

  it('lets the deposit role encrypt and fingerprint, never decrypt', () => {
    expect(kmsActions('deposit').sort()).toEqual(['kms:Encrypt', 'kms:GenerateMac']);
  });

  it('gives the api role only kms:Sign and kms:GetPublicKey on the evidence key, kms:Encrypt on the webhook secret key and GenerateMac on the link key, and the sweeper no KMS rights', () => {
    expect(kmsActions('api').sort()).toEqual([
      'kms:Encrypt',
      'kms:GenerateMac',
      'kms:GetPublicKey',
      'kms:Sign',
    ]);
    const grants = roleStatements(s.template, roleLogicalId(s.stack, 'api')).filter((st) =>
      actionsOf(st).some((a) => a.startsWith('kms:')),
    );
    for (const grant of grants) {
      expect(grant.Resource).toEqual(
        actionsOf(grant).includes('kms:Encrypt')
          ? keyArn('webhookSecretKey')
          : actionsOf(grant).includes('kms:GenerateMac')
            ? keyArn('linkKey')
            : keyArn('evidenceKey'),
      );
    }
    expect(kmsActions('sweeper')).toEqual([]);
  });

  it('lets only the api role sign evidence: no other role may, and the key policy denies every other principal', () => {
    const signers = Object.keys(s.template.findResources('AWS::IAM::Role')).filter((roleId) =>
      roleStatements(s.template, roleId)
        .filter((st) => st.Effect === 'Allow')
        .flatMap(actionsOf)
        .some((a) => a === 'kms:Sign' || a === 'kms:*' || a === '*'),
    );
    expect(signers).toEqual([roleLogicalId(s.stack, 'api')]);
    const deny = keyPolicy('evidenceKey').find((st) => st.Sid === 'OnlyApiSignsEvidence');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'aws:PrincipalArn': roleArn('api') } },
    });
    expect(actionsOf(deny as Statement)).toContain('kms:Sign');
  });

  it('lets no role create a key or change one (policy, state, deletion, material, aliases)', () => {
    const changing =
      /^kms:(Create|Put|Update|Enable|Disable|Schedule|Cancel|Import|Delete|Replicate|Tag|Untag|Rotate|Connect)/;
    for (const roleId of Object.keys(s.template.findResources('AWS::IAM::Role'))) {
      const actions = roleStatements(s.template, roleId)
        .filter((st) => st.Effect === 'Allow')
        .flatMap(actionsOf);
      expect(
        actions.filter((a) => changing.test(a) || a === 'kms:*' || a === '*'),
        roleId,
      ).toEqual([]);
    }
  });

  it('makes the evidence key an ECC_NIST_P256 signing key, retained with the stack', () => {
    const id = s.stack.getLogicalId(s.stack.keys.evidenceKey.node.defaultChild as CfnKey);
    expect(s.template.findResources('AWS::KMS::Key')[id]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
    });
  });

  it('grants code-key use only with exactly the tenantId and cardId context', () => {
    const grants = [
      ...roleStatements(s.template, roleLogicalId(s.stack, 'reveal')),
      ...roleStatements(s.template, roleLogicalId(s.stack, 'deposit')),
    ].filter((st) => actionsOf(st).some((a) => a === 'kms:Decrypt' || a === 'kms:Encrypt'));
    expect(grants).toHaveLength(2);
    for (const grant of grants) {
      expect(grant.Condition).toEqual({
        Null: { 'kms:EncryptionContext:tenantId': 'false', 'kms:EncryptionContext:cardId': 'false' },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenantId', 'cardId'] },
      });
    }
  });

  it('denies in the code key policy any use without the card context, whoever calls', () => {
    const denies = keyPolicy('codeKey').filter((st) => st.Effect === 'Deny' && st.Condition !== undefined);
    const conditions = denies.map((st) => st.Condition);
    expect(conditions).toContainEqual({ Null: { 'kms:EncryptionContext:tenantId': 'true' } });
    expect(conditions).toContainEqual({ Null: { 'kms:EncryptionContext:cardId': 'true' } });
    expect(conditions).toContainEqual({
      'ForAnyValue:StringNotEquals': { 'kms:EncryptionContextKeys': ['tenantId', 'cardId'] },
    });
    for (const st of denies) expect(st.Principal).toEqual({ AWS: '*' });
  });

  it('denies kms:Decrypt on the code key to every principal but the reveal role', () => {
    const deny = keyPolicy('codeKey').find((st) => st.Sid === 'OnlyRevealDecrypts');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'aws:PrincipalArn': roleArn('reveal') } },
    });
    expect(actionsOf(deny as Statement)).toContain('kms:Decrypt');
  });

  it('denies fingerprinting to every principal but the deposit role', () => {
    const deny = keyPolicy('fingerprintKey').find((st) => st.Sid === 'OnlyDepositFingerprints');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 'aws:PrincipalArn': roleArn('deposit') } },
    });
    expect(actionsOf(deny as Statement)).toContain('kms:GenerateMac');
  });

  it('lets only the api and reveal roles derive link keys, with HMAC_SHA_256, and denies every other principal', () => {
    const linkKey = s.stack.getLogicalId(s.stack.keys.linkKey.node.defaultChild as CfnKey);
    const macers = Object.keys(s.template.findResources('AWS::IAM::Role')).filter((roleId) =>
      roleStatements(s.template, roleId).some(
        (st) =>
          st.Effect === 'Allow' &&
          actionsOf(st).includes('kms:GenerateMac') &&
          JSON.stringify(st.Resource).includes(linkKey),
      ),
    );
    expect(macers.sort()).toEqual([roleLogicalId(s.stack, 'api'), roleLogicalId(s.stack, 'reveal')].sort());
    const deny = keyPolicy('linkKey').find((st) => st.Sid === 'OnlyPagesDeriveLinkKeys');
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 'aws:PrincipalArn': [roleArn('api'), roleArn('reveal')] } },
    });
    expect(actionsOf(deny as Statement)).toContain('kms:GenerateMac');
  });

  it('keeps both keys on stack deletion, rotates the code key, and makes the other an HMAC key', () => {
    s.template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        Description: Match.stringLikeRegexp('seals card codes'),
      }),
    });
    s.template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    });
  });
});

const webhookStatements = (name: WebhookFunctionName): Statement[] =>
  roleStatements(
    s.template,
    s.stack.getLogicalId(s.stack.webhooks.all[name].role.node.defaultChild as CfnRole),
  );

/** The one DynamoDB statement of a function's role that grants `action`. */
/** The function's one table-wide grant of `action` (the attribute-limited `ApiKeyUse` aside, tested on its own). */
function dynamoStatement(name: FunctionName, action: string): Statement {
  const found = roleStatements(s.template, roleLogicalId(s.stack, name)).filter(
    (st) => st.Effect === 'Allow' && actionsOf(st).includes(action) && st.Sid !== 'ApiKeyUse',
  );
  expect(found).toHaveLength(1);
  return found[0] as Statement;
}

describe('identity policies', () => {
  it('contain no wildcard action and no wildcard resource (but ListStreams, which has no resource type)', () => {
    const statements = allIdentityStatements(s.template);
    expect(statements.length).toBeGreaterThan(0);
    const listStreams = { Action: 'dynamodb:ListStreams', Effect: 'Allow', Resource: '*' };
    expect(statements.filter((st) => JSON.stringify(st.Resource) === '"*"')).toEqual([listStreams]);
    expect(webhookStatements('webhookFanOut')).toContainEqual(listStreams);
    // The issuer secrets' name prefix, tested below ('issuer secrets'): Secrets Manager suffixes every ARN.
    const allowed = (st: Statement) => st.Resource === '*' || st.Sid === 'IssuerSecretReads';
    for (const st of statements.filter((st) => !allowed(st))) {
      for (const action of actionsOf(st)) expect(action).not.toMatch(/(^|:)\*$/);
      expect(JSON.stringify(st.Resource ?? null)).not.toMatch(/"\*"|\/\*"|:\*"/);
    }
  });

  it('scope DynamoDB reads to the table and, per function, only the indexes it queries', () => {
    const tableId = s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never);
    for (const name of ['api', 'deposit', 'reveal', 'sweeper'] as const) {
      const statement = dynamoStatement(name, 'dynamodb:GetItem');
      const reads = name === 'deposit' ? ['dynamodb:GetItem'] : ['dynamodb:GetItem', 'dynamodb:Query'];
      expect(actionsOf(statement).sort()).toEqual(reads);
      // The table only: an index lists items across partitions, and is granted per partition below.
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
    }
  });

  it('let each function query an index only in the partitions its flows read (leading keys on the index)', () => {
    // Written out independently of function-specs.ts: what each function's code paths query.
    const tenant = `T#tnt_${'?'.repeat(26)}#`;
    const expected: Record<FunctionName, Record<string, string[]>> = {
      api: {
        [SELLER_INDEX]: [
          `${tenant}ESCALATIONS`,
          `${tenant}SLR#*#OPEN`,
          `${tenant}LST#*#AVAIL`,
          `${tenant}LST#*#HELD`,
          `${tenant}SLR#*#HELDREL`,
          `${tenant}APIKEYS`,
          `${tenant}LINKS`,
        ],
      },
      deposit: {},
      reveal: { [SELLER_INDEX]: [`${tenant}SLR#*#OPEN`], [DUE_INDEX]: ['RECHECK#*'] },
      sweeper: {
        [DUE_INDEX]: ['DUE#*', 'ESCDUE#*', 'CASCADE', 'REVIEWWORK'],
        [SELLER_INDEX]: [`${tenant}SLR#*#OPEN`, `${tenant}SLR#*#HELDREL`],
      },
    };
    for (const [name, indexes] of Object.entries(expected) as Array<
      [FunctionName, Record<string, string[]>]
    >) {
      const onIndexes = roleStatements(s.template, roleLogicalId(s.stack, name)).filter(
        (st) => st.Effect === 'Allow' && JSON.stringify(st.Resource ?? null).includes('/index/'),
      );
      expect(onIndexes, name).toHaveLength(Object.keys(indexes).length);
      for (const [index, partitions] of Object.entries(indexes)) {
        const st = onIndexes.find((x) => JSON.stringify(x.Resource).includes(`/index/${index}"`));
        expect(st, `${name} ${index}`).toMatchObject({
          Action: 'dynamodb:Query',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions } },
        });
        expect(JSON.stringify(st?.Resource)).not.toMatch(/\/index\/\*/);
      }
    }
  });

  it('give each function only the item writes it makes, on the partitions it owns', () => {
    const tableId = s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never);
    // Written out independently of function-specs.ts: what each function's code paths send.
    const expected: Record<FunctionName, { writes: string[]; prefixes: string[] }> = {
      api: {
        writes: ['ConditionCheckItem', 'PutItem', 'UpdateItem'],
        prefixes: ['T#*', 'LINK#*', 'APIKEY#*'],
      },
      deposit: { writes: ['DeleteItem', 'PutItem', 'UpdateItem'], prefixes: ['T#*', 'FP#*'] },
      reveal: { writes: ['ConditionCheckItem', 'PutItem', 'UpdateItem'], prefixes: ['T#*'] },
      sweeper: { writes: ['ConditionCheckItem', 'PutItem', 'UpdateItem'], prefixes: ['T#*'] },
    };
    for (const [name, { writes, prefixes }] of Object.entries(expected) as Array<
      [FunctionName, { writes: string[]; prefixes: string[] }]
    >) {
      const statement = dynamoStatement(name, 'dynamodb:PutItem');
      expect(actionsOf(statement).sort()).toEqual(writes.map((a) => `dynamodb:${a}`));
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      const leading = (statement.Condition as Record<string, Record<string, unknown>>)[
        'ForAllValues:StringLike'
      ]?.['dynamodb:LeadingKeys'];
      expect(([] as unknown[]).concat(leading).sort()).toEqual([...prefixes].sort());
      // Operators' items (tenants, brands and their issuer URLs) are out of every function's reach;
      // API keys of every function's but the api's, where a tenant makes its own (issue 20).
      const operators = ['TENANT#tnt_1', 'BRAND#demo-gift', ...(name === 'api' ? [] : ['APIKEY#0123'])];
      for (const pk of operators) {
        expect(prefixes.some((p) => pk.startsWith(p.slice(0, -1)))).toBe(false);
      }
    }
  });

  it('let only the api function make or revoke API keys; deposit and reveal only record their use', () => {
    const keyPk = keys.apiKey('0123456789abcdef').pk;
    const grants = (name: FunctionName) =>
      roleStatements(s.template, roleLogicalId(s.stack, name)).filter(
        (st) =>
          st.Effect === 'Allow' &&
          ([] as string[])
            .concat(
              (st.Condition as Record<string, Record<string, string | string[]>> | undefined)?.[
                'ForAllValues:StringLike'
              ]?.['dynamodb:LeadingKeys'] ?? [],
            )
            .some((pattern) => likeIam(pattern, keyPk)),
      );
    const writes = (name: FunctionName) => grants(name).flatMap(actionsOf).sort();
    expect(writes('api')).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(writes('sweeper')).toEqual([]);
    for (const name of ['deposit', 'reveal'] as const) {
      expect(grants(name)).toEqual([
        expect.objectContaining({
          Sid: 'ApiKeyUse',
          Action: 'dynamodb:UpdateItem',
          Condition: expect.objectContaining({
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
          }),
        }),
      ]);
    }
  });

  it('let only the api function write hosted links (made and revoked there); the page functions only read them', () => {
    // The patterns are the ones the keys are built with: the link under its token's hash, its pointer under the tenant.
    expect(keys.linkToken('a'.repeat(64)).pk).toBe(`LINK#${'a'.repeat(64)}`);
    expect(keys.link('tnt_1', 'lnk_1').pk.startsWith('T#tnt_1#')).toBe(true);
    const linkWriters = (['api', 'deposit', 'reveal', 'sweeper'] as const).filter((name) => {
      const leading = (
        dynamoStatement(name, 'dynamodb:PutItem').Condition as Record<string, Record<string, unknown>>
      )['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
      return ([] as unknown[]).concat(leading).includes('LINK#*');
    });
    expect(linkWriters).toEqual(['api']);
  });

  it('let every HTTP function update the rate buckets (issue 19): under the tenant, outside every denied partition', () => {
    const tenantId = newId('tnt');
    const buckets = [keys.tenantRateBucket(tenantId).pk, keys.linkRateBucket(tenantId, newId('lnk')).pk];
    for (const name of ['api', 'deposit', 'reveal'] as const) {
      const update = dynamoStatement(name, 'dynamodb:UpdateItem');
      const leading = ([] as string[]).concat(
        (update.Condition as Record<string, Record<string, string | string[]>>)['ForAllValues:StringLike']?.[
          'dynamodb:LeadingKeys'
        ] ?? [],
      );
      const denied = roleStatements(s.template, roleLogicalId(s.stack, name))
        .filter((st) => st.Effect === 'Deny')
        .flatMap((st) =>
          ([] as string[]).concat(
            (st.Condition as Record<string, Record<string, string | string[]>>)['ForAnyValue:StringLike']?.[
              'dynamodb:LeadingKeys'
            ] ?? [],
          ),
        );
      for (const pk of buckets) {
        expect(
          leading.some((pattern) => likeIam(pattern, pk)),
          `${name} ${pk}`,
        ).toBe(true);
        expect(
          denied.some((pattern) => likeIam(pattern, pk)),
          `${name} ${pk}`,
        ).toBe(false);
      }
    }
  });

  it('let only the api function delete, and only webhook endpoints and API keys (issue 20)', () => {
    const tableId = s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never);
    const deletes = roleStatements(s.template, roleLogicalId(s.stack, 'api')).filter(
      (st) => st.Effect === 'Allow' && actionsOf(st).includes('dynamodb:DeleteItem'),
    );
    expect(deletes).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:DeleteItem',
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`T#tnt_${'?'.repeat(26)}#WHK`, 'APIKEY#*'] },
        },
      }),
    ]);
  });

  it('keep every function but the api one off the webhook partitions (signing secrets, deliveries), on the table and every index, reads included', () => {
    const tableId = s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never);
    const tenant = `T#tnt_${'?'.repeat(26)}`;
    const denials = (name: FunctionName) =>
      roleStatements(s.template, roleLogicalId(s.stack, name)).filter((st) => st.Effect === 'Deny');
    const itemActions = [
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ].sort();
    const onTableAndIndexes = (deny: Statement | undefined) => {
      const resources = ([] as unknown[]).concat(deny?.Resource);
      expect(resources[0]).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
      expect(resources).toHaveLength(3);
      expect(JSON.stringify(resources.slice(1))).toMatch(/\/index\/gsi1".*\/index\/gsi2"/);
    };
    // The api function owns the endpoints; only the due index's webhook shards are out of its reach.
    const [apiDeny, ...moreApi] = denials('api');
    expect(moreApi).toEqual([]);
    expect(actionsOf(apiDeny as Statement).sort()).toEqual(itemActions);
    onTableAndIndexes(apiDeny);
    expect(apiDeny?.Condition).toEqual({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['WHK#*'] } });
    for (const name of ['deposit', 'reveal', 'sweeper'] as const) {
      const [deny, ...more] = denials(name);
      expect(more, name).toEqual([]);
      expect(actionsOf(deny as Statement).sort(), name).toEqual(itemActions);
      onTableAndIndexes(deny);
      // ForAnyValue: one key of the request in such a partition is enough to refuse it. On an
      // index the leading key is its partition key: `WHK#n` lists every due delivery with its payload.
      expect(deny?.Condition, name).toEqual({
        'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [`${tenant}#WHK`, `${tenant}#WHK#*`, 'WHK#*'] },
      });
    }
    // The patterns are the ones the keys are built with, and a tenant id has that shape.
    const tenantId = newId('tnt');
    expect(keys.webhookEndpoint(tenantId, 'whk_1').pk).toBe(`T#${tenantId}#WHK`);
    expect(likeIam(`${tenant}#WHK`, keys.webhookEndpoint(tenantId, 'whk_1').pk)).toBe(true);
    expect(likeIam(`${tenant}#WHK#*`, keys.webhookDelivery(tenantId, 'whk_1', 'evt_1').pk)).toBe(true);
    expect(likeIam(`${tenant}#WHK#*`, keys.webhookQueue(tenantId, 'whk_1', 'order:ord_1').pk)).toBe(true);
    expect(keys.webhookDueShards().every((shard) => likeIam('WHK#*', shard))).toBe(true);
    // ...and nothing else a tenant owns, whatever id the marketplace chose (a seller named WHK).
    for (const pk of [
      keys.seller(tenantId, 'WHK').pk,
      keys.buyer(tenantId, 'WHK').pk,
      keys.sellerOpenOrders(tenantId, 'WHK'),
    ]) {
      expect(
        [`${tenant}#WHK`, `${tenant}#WHK#*`, 'WHK#*'].some((p) => likeIam(p, pk)),
        pk,
      ).toBe(false);
    }
  });

  it('let each function write only to its own log group', () => {
    for (const name of ['api', 'deposit', 'reveal', 'sweeper'] as const) {
      const logs = roleStatements(s.template, roleLogicalId(s.stack, name)).filter((st) =>
        actionsOf(st).some((a) => a.startsWith('logs:')),
      );
      const logGroupId = s.stack.getLogicalId(
        s.stack.functions.all[name].logGroup.node.defaultChild as never,
      );
      expect(logs).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } })]);
    }
  });

  it('attach no AWS managed policy to any role', () => {
    for (const role of Object.values(s.template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("the webhook functions' roles", () => {
  const ENDPOINTS = `T#tnt_${'?'.repeat(26)}#WHK`;
  const DELIVERIES = `${ENDPOINTS}#*`;
  const table = () => ({
    'Fn::GetAtt': [s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never), 'Arn'],
  });
  const leading = (...patterns: string[]) => ({
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
  });
  const dynamo = (name: WebhookFunctionName) =>
    webhookStatements(name)
      .filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')))
      .map(({ Sid, ...rest }) => rest);
  const logGroup = (name: WebhookFunctionName) => ({
    'Fn::GetAtt': [
      s.stack.getLogicalId(s.stack.webhooks.all[name].logGroup.node.defaultChild as never),
      'Arn',
    ],
  });

  it('let the fan-out read the stream, query endpoints for routing only (no URL, no secret) and write deliveries, nothing else', () => {
    // Written out independently of function-specs.ts: what the fan-out's code paths send.
    expect(dynamo('webhookFanOut')).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: table(),
        Condition: {
          ...leading(ENDPOINTS),
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['pk', 'sk', 'endpointId', 'status', 'eventTypes'],
          },
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: table(),
        Condition: leading(DELIVERIES),
      },
      { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: {
          'Fn::GetAtt': [s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never), 'StreamArn'],
        },
      },
    ]);
    const failures = s.stack.getLogicalId(s.stack.webhooks.fanOutFailures.node.defaultChild as never);
    const others = webhookStatements('webhookFanOut').filter(
      (st) => !actionsOf(st).some((a) => a.startsWith('dynamodb:')),
    );
    expect(others).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: logGroup('webhookFanOut'),
      }),
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': [failures, 'Arn'] },
      },
    ]);
  });

  it('let the dispatcher query its due shards and update deliveries and endpoints, nothing else', () => {
    const dueIndex = JSON.stringify(dynamo('webhookDispatcher')[0]?.Resource);
    expect(dueIndex).toContain(`/index/${DUE_INDEX}`);
    expect(dynamo('webhookDispatcher')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: expect.anything(), Condition: leading('WHK#*') },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: table(), Condition: leading(ENDPOINTS) },
      { Effect: 'Allow', Action: 'dynamodb:UpdateItem', Resource: table(), Condition: leading(DELIVERIES) },
      // An endpoint's failure count and its disabling: never its URL or secrets, nor the item back.
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: table(),
        Condition: {
          ...leading(ENDPOINTS),
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': ['pk', 'sk', 'consecutiveFailures', 'status', 'disabledReason'],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
        },
      },
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table(), Condition: leading(DELIVERIES) },
    ]);
    const deadLetters = s.stack.getLogicalId(s.stack.webhookDispatch.deadLetters.node.defaultChild as never);
    const others = webhookStatements('webhookDispatcher').filter(
      (st) => !actionsOf(st).some((a) => a.startsWith('dynamodb:') || a.startsWith('kms:')),
    );
    expect(others).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: logGroup('webhookDispatcher'),
      }),
      // Its async invocations that fail or expire are recorded like the sweeper's.
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
      },
    ]);
    // The due shards are the ones the keys are built with.
    expect(keys.webhookDueShards().every((shard) => shard.startsWith('WHK#'))).toBe(true);
  });

  it("give neither Scan, deletes, batch operations nor a VPC, and of KMS only the dispatcher's Decrypt of webhook secrets", () => {
    expect(
      webhookStatements('webhookFanOut')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kms:')),
    ).toEqual([]);
    expect(
      webhookStatements('webhookDispatcher')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kms:')),
    ).toEqual(['kms:Decrypt']);
    for (const name of ['webhookFanOut', 'webhookDispatcher'] as const) {
      const actions = webhookStatements(name).flatMap(actionsOf);
      expect(
        actions.filter((a) => /Scan|Delete|Batch|\*/.test(a)),
        name,
      ).toEqual([]);
      expect(
        webhookStatements(name).filter((st) => st.Effect === 'Deny'),
        name,
      ).toEqual([]);
      const fnId = s.stack.getLogicalId(s.stack.webhooks.all[name].fn.node.defaultChild as never);
      expect(
        s.template.findResources('AWS::Lambda::Function')[fnId]?.Properties.VpcConfig,
        name,
      ).toBeUndefined();
    }
  });
});

describe('webhook signing secrets (issue 20)', () => {
  const webhookKeyStatements = (roleId: string) =>
    roleStatements(s.template, roleId).filter(
      (st) => JSON.stringify(st.Resource) === JSON.stringify(keyArn('webhookSecretKey')),
    );
  const endpointContext = {
    Null: { 'kms:EncryptionContext:tenantId': 'false', 'kms:EncryptionContext:endpointId': 'false' },
    'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenantId', 'endpointId'] },
  };

  it('let the api role only encrypt and the dispatcher only decrypt them, naming the endpoint; no other role touches the key', () => {
    const apiRole = roleLogicalId(s.stack, 'api');
    expect(webhookKeyStatements(apiRole)).toEqual([
      {
        Sid: 'SealWebhookSecretsNamingTheEndpoint',
        Effect: 'Allow',
        Action: 'kms:Encrypt',
        Resource: keyArn('webhookSecretKey'),
        Condition: endpointContext,
      },
    ]);
    expect(webhookKeyStatements(dispatcherRoleId())).toEqual([
      {
        Sid: 'OpenWebhookSecretsNamingTheEndpoint',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keyArn('webhookSecretKey'),
        Condition: endpointContext,
      },
    ]);
    const others = Object.keys(s.template.findResources('AWS::IAM::Role')).filter(
      (roleId) => roleId !== apiRole && roleId !== dispatcherRoleId(),
    );
    for (const roleId of others) expect(webhookKeyStatements(roleId), roleId).toEqual([]);
    // Neither may use the other half, nor a code key: the dispatcher's only KMS grant is this one.
    expect(
      roleStatements(s.template, dispatcherRoleId())
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('kms:')),
    ).toEqual(['kms:Decrypt']);
  });

  it('deny in the key policy decrypting to every principal but the dispatcher, encrypting to all but the api, and any use without the endpoint context', () => {
    const policy = keyPolicy('webhookSecretKey');
    const opens = policy.find((st) => st.Sid === 'OnlyDispatcherOpensWebhookSecrets');
    expect(opens).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Condition: { StringNotEquals: { 'aws:PrincipalArn': roleArn('webhookDispatcher') } },
    });
    expect(actionsOf(opens as Statement)).toContain('kms:Decrypt');
    const seals = policy.find((st) => st.Sid === 'OnlyApiSealsWebhookSecrets');
    expect(seals).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 'aws:PrincipalArn': roleArn('api') } },
    });
    expect(actionsOf(seals as Statement)).toContain('kms:Encrypt');
    const conditions = policy.filter((st) => st.Effect === 'Deny').map((st) => st.Condition);
    expect(conditions).toContainEqual({ Null: { 'kms:EncryptionContext:tenantId': 'true' } });
    expect(conditions).toContainEqual({ Null: { 'kms:EncryptionContext:endpointId': 'true' } });
    expect(conditions).toContainEqual({
      'ForAnyValue:StringNotEquals': { 'kms:EncryptionContextKeys': ['tenantId', 'endpointId'] },
    });
  });

  it('seal them with a symmetric key of their own, rotated and retained', () => {
    const id = s.stack.getLogicalId(s.stack.keys.webhookSecretKey.node.defaultChild as CfnKey);
    expect(id).not.toBe(s.stack.getLogicalId(s.stack.keys.codeKey.node.defaultChild as CfnKey));
    expect(s.template.findResources('AWS::KMS::Key')[id]).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { EnableKeyRotation: true, Description: expect.stringMatching(/webhook signing secrets/) },
    });
    expect(s.template.findResources('AWS::KMS::Key')[id]?.Properties.KeySpec).toBeUndefined();
  });
});

describe('issuer secrets (issue 21)', () => {
  const secretActions = (roleId: string) =>
    roleStatements(s.template, roleId)
      .filter((st) => st.Effect === 'Allow')
      .filter((st) => actionsOf(st).some((a) => a.startsWith('secretsmanager:') || a === '*'));

  it('let only the deposit, reveal and sweeper roles read them: GetSecretValue, under card-vault/issuers/ only', () => {
    const readers = Object.keys(s.template.findResources('AWS::IAM::Role')).filter(
      (roleId) => secretActions(roleId).length > 0,
    );
    const expected = (['deposit', 'reveal', 'sweeper'] as const).map((name) => roleLogicalId(s.stack, name));
    expect(readers.sort()).toEqual(expected.sort());
    for (const roleId of expected) {
      const [grant, ...more] = secretActions(roleId);
      expect(more).toEqual([]);
      expect(actionsOf(grant as Statement)).toEqual(['secretsmanager:GetSecretValue']);
      expect(JSON.stringify(grant?.Resource)).toMatch(/:secretsmanager:.*:secret:card-vault\/issuers\/\*"/);
    }
  });
});
