import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env-names.js';
import { FUNCTION_SPECS, type FunctionName } from '../function-specs.js';
import { type StageConfig, TIMING_DEFAULTS } from '../stage-config.js';
import { type CodeSource, VaultFunction } from './vault-function.js';
import type { VaultKeys } from './vault-keys.js';
import type { VaultTable } from './vault-table.js';

/**
 * Item-level actions only. There is no `dynamodb:TransactWriteItems` IAM action: a transaction
 * is authorised per item as PutItem / UpdateItem / DeleteItem / ConditionCheckItem, and
 * TransactGetItems as GetItem. No Scan (the sweeper queries the due index), no batch operations
 * (the stores use none; BatchWriteItem cannot carry conditions), no table management.
 * Each function may query only the indexes its use cases need (function-specs.ts).
 */
const READ = ['dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

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
      [ENV.paymentTimeoutSeconds]: String(TIMING_DEFAULTS.paymentTimeoutSeconds),
      [ENV.disputeWindowSeconds]: String(TIMING_DEFAULTS.disputeWindowSeconds),
      [ENV.revealRetrySeconds]: String(TIMING_DEFAULTS.revealRetrySeconds),
      [ENV.raceWindowSeconds]: String(TIMING_DEFAULTS.raceWindowSeconds),
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
          sid: 'VaultTableItems',
          actions: [...READ, ...WRITE],
          resources: props.table.arnsFor(spec.indexes),
        }),
      );
      return fn;
    };
    this.api = make('api', 'Api');
    this.deposit = make('deposit', 'Deposit', {
      [ENV.codeKeyId]: keys.codeKey.keyArn,
      [ENV.fingerprintKeyId]: keys.fingerprintKey.keyArn,
    });
    this.reveal = make('reveal', 'Reveal', { [ENV.codeKeyId]: keys.codeKey.keyArn });
    this.sweeper = make('sweeper', 'Sweeper');
  }

  get all(): Record<FunctionName, VaultFunction> {
    return { api: this.api, deposit: this.deposit, reveal: this.reveal, sweeper: this.sweeper };
  }
}
