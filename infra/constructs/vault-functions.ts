import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.js';
import { ENV } from '../../shared/config/env-names.js';
import { API_KEY_PARTITION_PREFIX, FUNCTION_SPECS, type FunctionName } from '../function-specs.js';
import { ISSUER_SECRET_PREFIX } from '../names.js';
import type { StageConfig } from '../stage-config.js';
import { type CodeSource, VaultFunction } from './vault-function.js';
import type { VaultKeys } from './vault-keys.js';
import type { VaultTable } from './vault-table.js';

/**
 * Item-level actions only. There is no `dynamodb:TransactWriteItems` IAM action: a transaction
 * is authorised per item as PutItem / UpdateItem / DeleteItem / ConditionCheckItem. No Scan (the
 * sweeper queries the due index), no batch operations, no table management. Each function gets
 * the writes and indexes its use cases need (function-specs.ts), and writes only the partitions
 * it owns: no function can rewrite a brand's issuer URL, an API key or a tenant.
 */
/** Every item action: the Deny of a partition takes reads back too. */
const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

const ALL_INDEXES = tableDefinition.globalSecondaryIndexes.map((index) => index.indexName);

export interface VaultFunctionsProps {
  readonly config: StageConfig;
  readonly code: CodeSource;
  readonly table: VaultTable;
  readonly keys: VaultKeys;
}

export class VaultFunctions extends Construct {
  readonly api: VaultFunction;
  readonly deposit: VaultFunction;
  readonly reveal: VaultFunction;
  readonly sweeper: VaultFunction;

  constructor(scope: Construct, id: string, props: VaultFunctionsProps) {
    super(scope, id);
    const { config, keys } = props;
    const common: Record<string, string> = {
      [ENV.tableName]: props.table.table.tableName,
      [ENV.stage]: config.stage,
      [ENV.logLevel]: config.logLevel,
      // Timing settings are left to the runtime's defaults (shared/config/config.ts): one source.
    };
    const make = (name: FunctionName, id: string, environment: Record<string, string> = {}) => {
      const reserved = config.reservedConcurrency[name as keyof StageConfig['reservedConcurrency']];
      const spec = FUNCTION_SPECS[name];
      const fn = new VaultFunction(this, id, {
        spec,
        config,
        code: props.code,
        environment: { ...common, ...environment },
        ...(reserved === undefined ? {} : { reservedConcurrency: reserved }),
      });
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'VaultTableReads',
          actions: spec.reads.map((action) => `dynamodb:${action}`),
          resources: [props.table.table.tableArn],
        }),
      );
      // An index lists items across partitions: each is queried only where its flows need it.
      for (const { index, partitions } of spec.indexes) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: `VaultIndexQueries${index.toUpperCase()}`,
            actions: ['dynamodb:Query'],
            resources: props.table.arnsFor([index]).slice(1),
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...partitions] } },
          }),
        );
      }
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'VaultTableWrites',
          actions: spec.writes.map((action) => `dynamodb:${action}`),
          resources: [props.table.table.tableArn],
          conditions: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': spec.writePrefixes.map((p) => `${p}*`) },
          },
        }),
      );
      if (spec.deletePartitions?.length) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'VaultTableDeletes',
            actions: ['dynamodb:DeleteItem'],
            resources: [props.table.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...spec.deletePartitions] } },
          }),
        );
      }
      if (spec.recordsApiKeyUse) {
        // The key attributes and `lastUsedAt`, nothing else: never a key's scopes or secret hash.
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'ApiKeyUse',
            actions: ['dynamodb:UpdateItem'],
            resources: [props.table.table.tableArn],
            conditions: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${API_KEY_PARTITION_PREFIX}*`] },
              'ForAllValues:StringEquals': {
                'dynamodb:Attributes': [tableDefinition.partitionKey, tableDefinition.sortKey, 'lastUsedAt'],
              },
              StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
            },
          }),
        );
      }
      if (spec.deniedPartitions.length > 0) {
        // Reads are granted table-wide; this takes the named partitions back out, reads included,
        // on the table and on every index (a pattern there is the index's partition key).
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'VaultTableDeniedPartitions',
            effect: Effect.DENY,
            actions: ITEM_ACTIONS,
            resources: props.table.arnsFor(ALL_INDEXES),
            conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [...spec.deniedPartitions] } },
          }),
        );
      }
      if (spec.readsIssuerSecrets) {
        // Secrets Manager appends 6 random characters to a secret's ARN: the prefix needs its `*`.
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: 'IssuerSecretReads',
            actions: ['secretsmanager:GetSecretValue'],
            resources: [
              Stack.of(this).formatArn({
                service: 'secretsmanager',
                resource: 'secret',
                resourceName: `${ISSUER_SECRET_PREFIX}*`,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ],
          }),
        );
      }
      return fn;
    };
    this.api = make('api', 'Api', {
      [ENV.evidenceKeyId]: keys.evidenceKey.keyArn,
      [ENV.webhookSecretKeyId]: keys.webhookSecretKey.keyArn,
      [ENV.linkKeyId]: keys.linkKey.keyArn,
    });
    this.deposit = make('deposit', 'Deposit', {
      [ENV.codeKeyId]: keys.codeKey.keyArn,
      [ENV.fingerprintKeyId]: keys.fingerprintKey.keyArn,
    });
    this.reveal = make('reveal', 'Reveal', {
      [ENV.codeKeyId]: keys.codeKey.keyArn,
      [ENV.linkKeyId]: keys.linkKey.keyArn,
    });
    this.sweeper = make('sweeper', 'Sweeper');
  }

  get all(): Record<FunctionName, VaultFunction> {
    return { api: this.api, deposit: this.deposit, reveal: this.reveal, sweeper: this.sweeper };
  }
}
