import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synth } from './synth.js';

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason })),
  );
}

describe.each(['dev', 'prod'])('cdk-nag AwsSolutions on the %s app', (stage) => {
  let s: Synthesized;
  // As `cdk synth` runs: the cdk-nag plugin throws on any unacknowledged finding, and CDK's
  // CloudFormation schema validation runs too.
  beforeAll(() => {
    s = synth(stage, 'stub', { cloudFormationValidation: true });
  });
  afterAll(() => s.cleanup());

  it('has no unacknowledged finding, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(s.app);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });

  it('gives every acknowledgement a reason, and acknowledges only the reviewed rules', () => {
    const acks = acknowledgements(s.app);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
    expect([...new Set(acks.map((a) => a.id.replace(/^annotation::/i, '')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:card-vault/issuers/*]',
      'AwsSolutions-SQS3',
    ]);
  });

  it('accepts a wildcard resource only on the webhook fan-out role (dynamodb:ListStreams) and the issuer secrets prefix of the deposit, reveal and sweeper roles, and no wildcard action', () => {
    const wildcards = acknowledgements(s.app).filter((a) => a.id.includes('IAM5'));
    const name = s.stack.stackName;
    expect(wildcards.map((a) => [a.path, a.id.replace(/^annotation::/i, '')]).sort()).toEqual(
      [
        [`${name}/Webhooks/WebhookFanOut/Role/DefaultPolicy`, 'AwsSolutions-IAM5[Resource::*]'],
        ...['Deposit', 'Reveal', 'Sweeper'].map((fn) => [
          `${name}/Functions/${fn}/Role/DefaultPolicy`,
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:card-vault/issuers/*]',
        ]),
      ].sort(),
    );
  });
});
