import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { BusinessMonitoring } from './constructs/business-monitoring.js';
import { KeyChangeAlerts } from './constructs/key-change-alerts.js';
import { SweeperSchedule } from './constructs/sweeper-schedule.js';
import { VaultAlarms } from './constructs/vault-alarms.js';
import type { CodeSource } from './constructs/vault-function.js';
import { VaultFunctions } from './constructs/vault-functions.js';
import { VaultHttpApi } from './constructs/vault-http-api.js';
import { VaultKeys } from './constructs/vault-keys.js';
import { VaultTable } from './constructs/vault-table.js';
import { WebhookFunctions } from './constructs/webhook-functions.js';
import { FUNCTION_SPECS, type FunctionName } from './function-specs.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { OUTPUTS, RECHECK_EVENT_SOURCE, WEBHOOK_DISPATCH_EVENT_SOURCE } from './names.js';
import type { StageConfig } from './stage-config.js';

export interface CardVaultStackProps extends StackProps {
  readonly config: StageConfig;
  /** `stub` skips esbuild, for template-only tests. Default `bundle`. */
  readonly code?: CodeSource;
}

export class CardVaultStack extends Stack {
  readonly config: StageConfig;
  readonly keys: VaultKeys;
  readonly table: VaultTable;
  readonly functions: VaultFunctions;
  readonly http: VaultHttpApi;
  readonly sweeper: SweeperSchedule;
  readonly recheck: SweeperSchedule;
  readonly webhooks: WebhookFunctions;
  readonly webhookDispatch: SweeperSchedule;
  readonly alarmTopic: AlarmTopic;
  readonly alarms: VaultAlarms;
  readonly business: BusinessMonitoring;
  readonly keyChanges: KeyChangeAlerts;

  constructor(scope: Construct, id: string, props: CardVaultStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    this.keys = new VaultKeys(this, 'Keys', { stage: config.stage });
    this.table = new VaultTable(this, 'Data');
    this.functions = new VaultFunctions(this, 'Functions', {
      config,
      code: props.code ?? 'bundle',
      table: this.table,
      keys: this.keys,
    });
    this.http = new VaultHttpApi(this, 'Http', { config, functions: this.functions });
    this.sweeper = new SweeperSchedule(this, 'Sweeper', {
      sweeper: this.functions.sweeper.fn,
      stage: config.stage,
    });
    // Re-asking the issuer and the reveal-deadline re-check need a plaintext: the reveal function runs them.
    this.recheck = new SweeperSchedule(this, 'Recheck', {
      sweeper: this.functions.reveal.fn,
      stage: config.stage,
      purpose: 're-ask the issuer about escalations and unrevealed paid orders',
      source: RECHECK_EVENT_SOURCE,
    });
    this.webhooks = new WebhookFunctions(this, 'Webhooks', {
      config,
      code: props.code ?? 'bundle',
      table: this.table,
      webhookSecretKeyArn: this.keys.webhookSecretKey.keyArn,
    });
    this.keys.restrictUse({
      decrypt: this.functions.reveal,
      encrypt: this.functions.deposit,
      mac: this.functions.deposit,
      sign: this.functions.api,
      sealWebhookSecrets: this.functions.api,
      openWebhookSecrets: this.webhooks.dispatcher,
      linkMac: [this.functions.api, this.functions.reveal],
    });
    // The same every-minute schedule and retry policy as the sweeper's, with its own dead-letter queue.
    this.webhookDispatch = new SweeperSchedule(this, 'WebhookDispatch', {
      sweeper: this.webhooks.dispatcher.fn,
      stage: config.stage,
      purpose: 'attempt due webhook deliveries',
      source: WEBHOOK_DISPATCH_EVENT_SOURCE,
    });
    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      stage: config.stage,
      ...(config.alarmEmail === undefined ? {} : { email: config.alarmEmail }),
    });
    this.keyChanges = new KeyChangeAlerts(this, 'KeyChanges', {
      keys: [
        this.keys.codeKey,
        this.keys.fingerprintKey,
        this.keys.evidenceKey,
        this.keys.webhookSecretKey,
        this.keys.linkKey,
      ],
      alarms: this.alarmTopic,
      stage: config.stage,
    });
    const fns = this.functions.all;
    const scheduled =
      "Scheduler could not deliver it after 2 retries within its minute, or it failed or expired in Lambda's async queue (not retried: the next run is a minute away)";
    this.alarms = new VaultAlarms(this, 'Monitoring', {
      topic: this.alarmTopic.topic,
      api: this.http.api,
      table: this.table.table,
      functions: { api: fns.api.fn, deposit: fns.deposit.fn, reveal: fns.reveal.fn, sweeper: fns.sweeper.fn },
      deadLetters: {
        SweeperDeadLetters: {
          queue: this.sweeper.deadLetters,
          description: `A sweep did not run: ${scheduled}. See the message in the sweeper's dead-letter queue.`,
        },
        RecheckDeadLetters: {
          queue: this.recheck.deadLetters,
          description: `A recheck run did not run: ${scheduled}. See the message in the recheck dead-letter queue.`,
        },
        WebhookDispatchDeadLetters: {
          queue: this.webhookDispatch.deadLetters,
          description: `A webhook dispatch run did not run: ${scheduled}. See the message in its dead-letter queue.`,
        },
        KeyChangesDeadLetters: {
          queue: this.keyChanges.deadLetters,
          description:
            'A key-change alert could not be published to the alarm topic after its retries: read the CloudTrail event in the key-change dead-letter queue.',
        },
      },
      rules: { KeyChangesFailedInvocations: this.keyChanges.rule },
      webhooks: {
        fanOut: this.webhooks.fanOut.fn,
        dispatcher: this.webhooks.dispatcher.fn,
        fanOutFailures: this.webhooks.fanOutFailures,
        stage: config.stage,
      },
    });
    this.business = new BusinessMonitoring(this, 'Business', {
      stage: config.stage,
      topic: this.alarmTopic.topic,
      api: this.http.api,
      functions: { api: fns.api.fn, deposit: fns.deposit.fn, reveal: fns.reveal.fn, sweeper: fns.sweeper.fn },
      webhookFunctions: { fanOut: this.webhooks.fanOut.fn, dispatcher: this.webhooks.dispatcher.fn },
      refundSharePercent: config.refundAlarmPercent,
      escalationDeadlineSeconds: config.escalationDeadlineSeconds,
    });

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(OUTPUTS.apiUrl, this.http.url, 'Base URL of the HTTP API (routes start with /v1)');
    output(OUTPUTS.tableName, this.table.table.tableName, 'The vault table (read by `npm run tenant`)');
    output(OUTPUTS.codeKeyArn, this.keys.codeKey.keyArn, 'KMS key sealing card codes');
    output(OUTPUTS.fingerprintKeyArn, this.keys.fingerprintKey.keyArn, 'KMS HMAC key for code fingerprints');
    output(
      OUTPUTS.evidenceKeyArn,
      this.keys.evidenceKey.keyArn,
      'KMS ECC_NIST_P256 key signing evidence bundles',
    );
    output(
      OUTPUTS.webhookSecretKeyArn,
      this.keys.webhookSecretKey.keyArn,
      'KMS key sealing webhook signing secrets',
    );
    output(OUTPUTS.alarmTopicArn, this.alarmTopic.topic.topicArn, 'SNS topic every alarm notifies');

    applyNagSuppressions({
      httpApi: this.http.api,
      deadLetterQueues: [
        this.sweeper.deadLetters,
        this.recheck.deadLetters,
        this.webhookDispatch.deadLetters,
        this.keyChanges.deadLetters,
      ],
      webhookFanOutFailures: this.webhooks.fanOutFailures,
      webhookFanOutPolicy: this.webhooks.fanOut.role.node.findChild('DefaultPolicy'),
      issuerSecretReaders: Object.entries(this.functions.all)
        .filter(([name]) => FUNCTION_SPECS[name as FunctionName].readsIssuerSecrets)
        .map(([, fn]) => fn.role.node.findChild('DefaultPolicy')),
    });
  }
}
