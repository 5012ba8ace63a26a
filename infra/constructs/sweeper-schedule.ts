import { Duration } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

/**
 * EventBridge Scheduler invokes the sweeper every minute. A missed or failed sweep is not
 * retried: sweeps are idempotent and the next one is at most a minute away, and every read of
 * an order applies its due transitions anyway (DESIGN.md), so a late sweep changes no answer.
 */
export class SweeperSchedule extends Construct {
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: { readonly sweeper: IFunction; readonly stage: string }) {
    super(scope, id);
    const noRetry = { retryAttempts: 0, maxEventAge: Duration.minutes(1) };
    this.schedule = new Schedule(this, 'EveryMinute', {
      description: `card-vault ${props.stage}: apply due order transitions`,
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // Scheduler sends only what the target's input says; the sweeper logs the scheduled time.
      target: new InvokeFunctionOnly(props.sweeper, {
        ...noRetry,
        input: ScheduleTargetInput.fromObject({
          source: 'card-vault.sweeper',
          time: ContextAttribute.scheduledTime,
          executionId: ContextAttribute.executionId,
        }),
      }),
    });
    // Scheduler invokes asynchronously; without this Lambda would retry a failed sweep twice
    // and keep a throttled one queued for up to six hours.
    props.sweeper.configureAsyncInvoke(noRetry);
  }
}

/**
 * LambdaInvoke grants `lambda:InvokeFunction` on the function and on `function:*` (every
 * version and alias). The schedule targets the unqualified function only, so grant only that.
 */
class InvokeFunctionOnly extends LambdaInvoke {
  constructor(
    private readonly fn: IFunction,
    props: ConstructorParameters<typeof LambdaInvoke>[1],
  ) {
    super(fn, props);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
  }
}
