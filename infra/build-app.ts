import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CardVaultStack } from './card-vault-stack.js';
import type { CodeSource } from './constructs/vault-function.js';
import { stackName } from './names.js';
import { stageConfigFrom } from './stage-config.js';

export interface BuildAppOptions {
  /** Context as `-c key=value` would give it (tests); the CLI passes its own through the environment. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  readonly code?: CodeSource;
  /** CDK's schema validation of the templates (default on, as in `cdk synth`); tests may skip it. */
  readonly cloudFormationValidation?: boolean;
}

/** The app `cdk synth` runs and the tests check: one stack per stage, cdk-nag applied. */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: CardVaultStack } {
  const app = new App({
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
  });
  const config = stageConfigFrom(app.node);
  // No env: the stack is environment-agnostic, deployable to whatever account and region the
  // caller's credentials name, and synthesizable offline.
  const stack = new CardVaultStack(app, stackName(config.stage), {
    config,
    ...(options.code === undefined ? {} : { code: options.code }),
    description: `card-vault (${config.stage}): sealed card-code vault, HTTP API, sweeper, alarms`,
    terminationProtection: config.stage === 'prod',
  });
  // Not on the dashboard: cfn-lint's schema has no Tags for AWS::CloudWatch::Dashboard (E3002), and
  // a dashboard's tags serve no cost allocation (dashboards are billed per account).
  const untagged = { excludeResourceTypes: ['AWS::CloudWatch::Dashboard'] };
  Tags.of(app).add('project', 'card-vault', untagged);
  Tags.of(app).add('stage', config.stage, untagged);
  // cdk-nag 3 is a policy-validation plugin: synth fails on any unacknowledged finding.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
