import { Duration } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue.js';

/**
 * EventBridge Scheduler invokes the sweeper every minute (and, with its own source, the reveal
 * function's recheck job, the scheduled work that needs kms:Decrypt, and the webhook dispatcher). Sweeps are idempotent and the next one
 * is at most a minute away, and every read of an order applies its due transitions anyway
 * (docs/design.md), so a late sweep changes no answer; but a sweep that never ran must be seen. A
 * delivery Scheduler could not make (after its retries within the minute) and a run that
 * failed or expired in Lambda's async queue both land in the schedule's own dead-letter queue,
 * whose messages raise that schedule's alarm (VaultAlarms) and name the scheduled time for
 * whoever investigates.
 */
export class SweeperSchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetters: Queue;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly sweeper: IFunction;
      readonly stage: string;
      /** What the run does, for the schedule's description. */
      readonly purpose?: string;
      /** The event's `source`: the reveal function tells its scheduled job from HTTP events by it. */
      readonly source?: string;
    },
  ) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    const withinTheMinute = { maxEventAge: Duration.minutes(1) };
    this.schedule = new Schedule(this, 'EveryMinute', {
      description: `card-vault ${props.stage}: ${props.purpose ?? 'apply due order transitions'}`,
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // Scheduler sends only what the target's input says; the sweeper logs the scheduled time.
      target: new InvokeFunctionOnly(props.sweeper, {
        ...withinTheMinute,
        // Scheduler retries only a failed invoke call (throttled, unavailable), never a sweep.
        retryAttempts: 2,
        deadLetterQueue: this.deadLetters,
        input: ScheduleTargetInput.fromObject({
          source: props.source ?? 'card-vault.sweeper',
          time: ContextAttribute.scheduledTime,
          executionId: ContextAttribute.executionId,
        }),
      }),
    });
    // Scheduler invokes asynchronously; without this Lambda would retry a failed sweep twice
    // and keep a throttled one queued for up to six hours. A sweep that failed is not retried
    // (the next one is a minute away) but recorded.
    props.sweeper.configureAsyncInvoke({
      ...withinTheMinute,
      retryAttempts: 0,
      onFailure: new SqsDestination(this.deadLetters),
    });
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
