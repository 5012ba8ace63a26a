import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synth } from './synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synth('prod', 'stub');
});
afterAll(() => s.cleanup());

type Resource = { Properties: Record<string, any> };
const resources = (type: string) =>
  Object.entries(s.template.findResources(type)) as Array<[string, Resource]>;
const queueOf = (arn: unknown): string => {
  const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  expect(getAtt?.[1], JSON.stringify(arn)).toBe('Arn');
  return getAtt?.[0] as string;
};

/** Every place AWS records what it could not deliver, by the queue it names. */
function deadLetterQueues(): Array<{ source: string; queue: string }> {
  return [
    ...resources('AWS::Scheduler::Schedule').map(([id, r]) => ({
      source: id,
      queue: queueOf(r.Properties.Target.DeadLetterConfig?.Arn),
    })),
    ...resources('AWS::Events::Rule').flatMap(([id, r]) =>
      (r.Properties.Targets as Array<Record<string, any>>).map((target) => ({
        source: `${id} ${target.Id}`,
        queue: queueOf(target.DeadLetterConfig?.Arn),
      })),
    ),
    ...resources('AWS::Lambda::EventInvokeConfig').map(([id, r]) => ({
      source: id,
      queue: queueOf(r.Properties.DestinationConfig?.OnFailure?.Destination),
    })),
    ...resources('AWS::Lambda::EventSourceMapping').map(([id, r]) => ({
      source: id,
      queue: queueOf(r.Properties.DestinationConfig?.OnFailure?.Destination),
    })),
  ];
}

describe('alerts that arrive', () => {
  it('give every schedule and every EventBridge rule target a dead-letter queue of its own', () => {
    const schedules = resources('AWS::Scheduler::Schedule');
    const rules = resources('AWS::Events::Rule');
    expect(schedules).toHaveLength(3);
    expect(rules).toHaveLength(1);
    const direct = deadLetterQueues().filter(
      ({ source }) => !source.includes('EventInvokeConfig') && !source.includes('EventSourceMapping'),
    );
    // No two schedules or targets share a queue: each alarm names the job that failed.
    expect(new Set(direct.map((d) => d.queue)).size).toBe(direct.length);
    // A scheduled function's failed async run lands in its own schedule's queue.
    for (const [, config] of resources('AWS::Lambda::EventInvokeConfig')) {
      const fn = config.Properties.FunctionName.Ref;
      const schedule = schedules.find(([, r]) => r.Properties.Target.Arn['Fn::GetAtt'][0] === fn);
      expect(queueOf(config.Properties.DestinationConfig.OnFailure.Destination)).toBe(
        queueOf(schedule?.[1].Properties.Target.DeadLetterConfig.Arn),
      );
    }
  });

  it('alarm on the first message of every dead-letter queue, and every queue is one', () => {
    const alarmed = resources('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => a.Namespace === 'AWS/SQS' && a.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((a) => {
        expect(a).toMatchObject({
          Statistic: 'Maximum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
        return a.Dimensions[0].Value['Fn::GetAtt'][0] as string;
      });
    const queues = new Set(deadLetterQueues().map((d) => d.queue));
    expect([...queues].sort()).toEqual([...new Set(alarmed)].sort());
    expect(
      resources('AWS::SQS::Queue')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...queues].sort());
    expect(queues.size).toBe(5);
  });

  it("alarm on every rule's failed invocations", () => {
    const failed = resources('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => a.Namespace === 'AWS/Events' && a.MetricName === 'FailedInvocations');
    expect(failed.map((a) => a.Dimensions)).toEqual(
      resources('AWS::Events::Rule').map(([id]) => [{ Name: 'RuleName', Value: { Ref: id } }]),
    );
  });
});
