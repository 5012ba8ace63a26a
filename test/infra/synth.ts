import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { buildApp } from '../../infra/build-app.js';
import type { CardVaultStack } from '../../infra/card-vault-stack.js';
import type { CodeSource } from '../../infra/constructs/vault-function.js';
import type { FunctionName } from '../../infra/function-specs.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Synthesized {
  readonly app: App;
  readonly stack: CardVaultStack;
  readonly template: Template;
  readonly outdir: string;
  /** Removes the cloud assembly (bundles included). */
  readonly cleanup: () => void;
}

/**
 * Synthesizes the app exactly as `cdk synth -c stage=<stage>` does (cdk.json context, cdk-nag
 * plugin), into a temporary directory. `bundle` runs esbuild on the real entries.
 */
export function synth(
  stage: string,
  code: CodeSource,
  options: { cloudFormationValidation?: boolean } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), `card-vault-${stage}-`));
  const { app, stack } = buildApp({
    context: { ...cdkJson.context, stage },
    code,
    outdir,
    // CDK's CloudFormation schema check costs ~4 s of CPU per synth: only the cdk-nag test runs it.
    cloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  app.synth();
  return {
    app,
    stack,
    template: Template.fromStack(stack),
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function roleLogicalId(stack: CardVaultStack, name: FunctionName): string {
  return stack.getLogicalId(stack.functions.all[name].role.node.defaultChild as CfnRole);
}

/** Every statement granted to a role, inline or through attached AWS::IAM::Policy resources. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const role = template.findResources('AWS::IAM::Role')[roleId];
  if (role === undefined) throw new Error(`no role ${roleId}`);
  const inline = (
    (role.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>
  ).flatMap((p) => p.PolicyDocument.Statement);
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached];
}

/** Every identity-policy statement in the template (roles' inline policies and AWS::IAM::Policy). */
export function allIdentityStatements(template: Template): Statement[] {
  return Object.keys(template.findResources('AWS::IAM::Role')).flatMap((id) => roleStatements(template, id));
}
