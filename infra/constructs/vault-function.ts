import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_NODE_MAJOR, lambdaBundling, PROJECT_ROOT } from '../bundling.js';
import type { DeployedFunctionSpec } from '../function-specs.js';
import type { StageConfig } from '../stage-config.js';

/**
 * `bundle`: esbuild the real entry (what `cdk synth` and deploys do).
 * `stub`: an inline placeholder, for tests that only look at the template.
 */
export type CodeSource = 'bundle' | 'stub';

export interface VaultFunctionProps {
  readonly spec: DeployedFunctionSpec;
  readonly config: StageConfig;
  readonly code: CodeSource;
  readonly environment: Record<string, string>;
  readonly reservedConcurrency?: number;
}

/** The runtime of {@link LAMBDA_NODE_MAJOR}: a CDK constant, so synth fails if CDK does not know it. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;
if (LAMBDA_RUNTIME.name !== `nodejs${LAMBDA_NODE_MAJOR}.x`) {
  throw new Error(`${LAMBDA_RUNTIME.name} is not the runtime the bundles target (node${LAMBDA_NODE_MAJOR})`);
}

/**
 * One function with its own role and log group. The role starts empty except for writing to
 * its own log group (no AWSLambdaBasicExecutionRole: that one may create any log group).
 */
export class VaultFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  /**
   * The role's ARN built from its name, not a reference to the role: what the retained keys'
   * policies name, so they outlive the stack and hold for the role a redeploy creates again.
   */
  readonly roleArnByName: string;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: VaultFunctionProps) {
    super(scope, id);
    const { spec, config } = props;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetention,
      removalPolicy: config.logRemovalPolicy,
    });
    // A fixed name (stack, function, region: IAM is global, stacks are per region): after
    // `cdk destroy` and a redeploy the role is back under the same ARN, which the retained keys'
    // policies name (docs/deploy.md "What `cdk destroy` keeps").
    const stack = Stack.of(this);
    const roleName = `${stack.stackName}-${id}-${stack.region}`;
    this.roleArnByName = stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: roleName,
    });
    this.role = new Role(this, 'Role', {
      roleName,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `card-vault ${config.stage} ${id} function`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      description: spec.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      ...(props.code === 'bundle'
        ? {
            entry: join(PROJECT_ROOT, spec.entry),
            handler: 'handler',
            projectRoot: PROJECT_ROOT,
            depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
            bundling: lambdaBundling(spec),
          }
        : {
            code: Code.fromInline('export const handler = async () => ({ statusCode: 503 });'),
            handler: 'index.handler',
          }),
    });
  }
}
