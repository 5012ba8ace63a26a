import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageConfigFrom } from '../../infra/stage-config.js';
import { type Synthesized, synth } from './synth.js';

let dev: Synthesized;
beforeAll(() => {
  dev = synth('dev', 'stub');
});
afterAll(() => dev.cleanup());

describe('stages', () => {
  it('names the stack after the stage and protects only prod from termination', () => {
    expect(dev.stack.stackName).toBe('CardVault-dev');
    expect(dev.stack.terminationProtection).toBe(false);
    expect(stageConfigFrom(new App({ context: { stage: 'prod' } }).node).stage).toBe('prod');
  });

  it('defaults to dev and refuses an unknown stage', () => {
    expect(stageConfigFrom(new App().node).stage).toBe('dev');
    expect(() => stageConfigFrom(new App({ context: { stage: 'staging' } }).node)).toThrow(
      /Unknown stage "staging"/,
    );
  });

  it('keeps the table and keys in dev exactly as in prod', () => {
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: { DeletionProtectionEnabled: true },
    });
    const keys = Object.values(dev.template.findResources('AWS::KMS::Key'));
    // The code key, the fingerprint key, the evidence key (bundles already handed out verify with it),
    // the webhook secret key (without it every endpoint's secret would have to be rolled) and the
    // link key (open reveal links' page keys, PINs and cookies are MACs under it).
    expect(keys.filter((k) => k.DeletionPolicy === 'Retain')).toHaveLength(5);
  });

  it('reserves no concurrency in dev, so a fresh account with a low Lambda quota can deploy it', () => {
    for (const fn of Object.values(dev.template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(fn.Properties.Environment.Variables).toMatchObject({ STAGE: 'dev', LOG_LEVEL: 'debug' });
    }
  });

  it('lets dev log groups go with the stack, with a short retention', () => {
    for (const group of Object.values(dev.template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.DeletionPolicy).toBe('Delete');
      expect(group.Properties.RetentionInDays).toBe(14);
    }
  });

  it('drops prod reservations with -c reservedConcurrency=false and subscribes -c alarmEmail', () => {
    const config = stageConfigFrom(
      new App({ context: { stage: 'prod', reservedConcurrency: 'false', alarmEmail: 'ops@example.com' } })
        .node,
    );
    expect(config.reservedConcurrency).toEqual({});
    expect(config.alarmEmail).toBe('ops@example.com');
  });

  it('names the dev API after its stack', () => {
    dev.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'CardVault-dev-api' });
  });
});
