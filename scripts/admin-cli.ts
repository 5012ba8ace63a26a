import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { OUTPUTS, stackName } from '../infra/names.js';
import { readStackOutput } from '../shared/adapters/aws/stack-outputs.js';
import { createDynamoClients } from '../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../shared/adapters/dynamodb/dynamodb-stores.js';
import { tableDefinition } from '../shared/adapters/dynamodb/table-definition.js';
import { ulidIdGenerator } from '../shared/adapters/ids/ulid-id-generator.js';
import { createLogger } from '../shared/adapters/logging/json-logger.js';
import { loadSettings } from '../shared/config/config.js';
import { loadAdminConfig } from '../shared/config/tool-config.js';
import { ValidationError } from '../shared/domain/errors.js';
import { OPERATOR_OUTCOMES, type OperatorOutcome } from '../shared/domain/escalation.js';
import type { IssuerAnswerKey } from '../shared/domain/issuer-answer.js';
import type { IssuerAuth } from '../shared/domain/issuer-auth.js';
import { type ReviewOutcome, reviewOutcomes } from '../shared/domain/seller-standing.js';
import { defaultSettings } from '../shared/domain/vault-settings.js';
import { systemClock } from '../shared/ports/clock.js';
import { noMetrics } from '../shared/ports/metrics.js';
import { DepositUnlockService } from '../shared/services/deposit-unlock-service.js';
import { ReinstatementService } from '../shared/services/reinstatement-service.js';
import { apiKeyId, TenantService } from '../shared/services/tenant-service.js';
import { vaultForDesk } from '../shared/services/vault.js';

const USAGE = `Usage:
  npm run tenant -- create <name> [--stage <stage> | --table <name>] [--region <region>]
  npm run tenant -- revoke-key <keyId or the whole key> [--stage <stage> | --table <name>] [--region <region>]
  npm run tenant -- rate-limit <tenantId> (--rate <per second> --burst <requests> | --default) [--stage <stage> | --table <name>]
  npm run brand -- put <brand> --issuer-url <url> --code-pattern <regex> [--pin-pattern <regex>]
      [--auth none | --auth hmac --key-id <id> --secret <ARN or name> | --auth bearer --secret <ARN or name>]
      [--answer-key <JWK or JWK file> [--answer-key <next JWK>]] [--require-signed-answers]
      [--stage <stage> | --table <name>]
  npm run escalation -- list <tenantId> [--stage <stage> | --table <name>]
  npm run escalation -- settle <tenantId> <reportId> <refund|refund_without_penalty|reject> --note <text> --by <operator> [--stage <stage> | --table <name>]
  npm run seller -- reinstate <tenantId> <sellerId> --note <why> --by <operator> [--stage <stage> | --table <name>]
  npm run seller -- unlock-deposits <tenantId> <sellerId> --note <why> --by <operator> [--stage <stage> | --table <name>]
  npm run seller -- review <tenantId> <sellerId> <cleared|suspended> --note <why> --by <operator> [--stage <stage> | --table <name>]

Without --stage or --table it works on the local stack (DYNAMODB_ENDPOINT, or DynamoDB Local on
DYNAMODB_PORT, default 8000; table TABLE_NAME, default ${tableDefinition.defaultTableName}).
With --stage it uses the table of the deployed stack CardVault-<stage> and your AWS credentials.`;

/**
 * Operator commands: create a tenant (prints its API key once), register a brand and its issuer,
 * list and settle a tenant's escalations; reinstate a suspended seller (recorded on the seller's
 * trail as `seller.reinstated`); unlock a seller's deposits (`seller.deposits_unlocked`); close a
 * seller's review (`seller.review_closed`).
 */
async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stage: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      'issuer-url': { type: 'string' },
      'code-pattern': { type: 'string' },
      'pin-pattern': { type: 'string' },
      auth: { type: 'string' },
      'key-id': { type: 'string' },
      secret: { type: 'string' },
      'answer-key': { type: 'string', multiple: true },
      'require-signed-answers': { type: 'boolean' },
      note: { type: 'string' },
      by: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      default: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [resource, command, name, sellerId] = positionals;
  if (values.help || !resource || !command || !name) throw new UsageError();

  const { tableName, endpoint } = await target(values);
  const aws = endpoint === undefined;
  const { client, doc } = createDynamoClients({
    ...(endpoint ? { endpoint } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
  // The vault's settings as this shell sets them (DEPOSIT_REJECT_BUDGET and the rest), else the defaults.
  const deps = {
    stores: createDynamoStores({ doc, tableName }),
    clock: systemClock,
    ids: ulidIdGenerator,
    settings: loadSettings(),
  };
  const tenants = new TenantService(deps);
  try {
    if (resource === 'tenant' && command === 'create') {
      const { tenant, apiKey } = await tenants.create(name);
      console.log(`tenant   ${tenant.tenantId} (${tenant.name}) in table ${tableName}`);
      console.log(`API key  ${apiKey}`);
      console.log('The key is shown this once; only its hash is stored. Keep it in your secret store.');
    } else if (resource === 'tenant' && command === 'revoke-key') {
      // The whole key names it too (what an operator holding a leaked key has); only its id is printed.
      const keyId = apiKeyId(name) ?? name;
      await tenants.revokeKey(keyId);
      console.log(`API key ${keyId} deleted from table ${tableName}.`);
      console.log('Running API processes stop accepting it within API_KEY_CACHE_SECONDS (default 30).');
    } else if (resource === 'tenant' && command === 'rate-limit') {
      await setRateLimit(tenants, deps.stores, tableName, name, values);
    } else if (resource === 'brand' && command === 'put') {
      const issuerUrl = values['issuer-url'];
      const codePattern = values['code-pattern'];
      if (!issuerUrl || !codePattern) throw new UsageError();
      // Only the local stack's table may name an http or loopback issuer: a deployed one is checked from AWS.
      const stored = await tenants.registerBrand(
        {
          brand: name,
          issuerUrl,
          codePattern,
          ...(values['pin-pattern'] ? { pinPattern: values['pin-pattern'] } : {}),
          ...(values.auth !== undefined && { auth: issuerAuth(values) }),
          // Checked by registerBrand: a public Ed25519 or P-256 JWK each, never a private one.
          ...(values['answer-key'] !== undefined && {
            answerKeys: (await Promise.all(values['answer-key'].map(readJwk))) as IssuerAnswerKey[],
          }),
          ...(values['require-signed-answers'] && { requireSignedAnswers: true }),
          createdAt: systemClock.now().toISOString(),
        },
        aws ? 'aws' : 'local',
      );
      console.log(`brand ${name} -> ${stored.issuerUrl} registered in table ${tableName}`);
      if (stored.answerKeys !== undefined) {
        const required = stored.requireSignedAnswers ? 'required' : 'checked when present';
        console.log(`answers signed by ${stored.answerKeys.length} key(s): ${required}`);
      }
    } else if (resource === 'escalation') {
      await requireTenant(
        deps.stores,
        command === 'list' || command === 'settle' ? name : undefined,
        tableName,
      );
      await escalationCommand(vaultForOperators(doc, tableName), command, positionals.slice(2), values);
    } else if (resource === 'seller' && command === 'reinstate') {
      const { note, by } = values;
      if (!sellerId || !note || !by) throw new UsageError();
      await requireTenant(deps.stores, name, tableName);
      await new ReinstatementService(deps).reinstate(name, sellerId, { note, decidedBy: by });
      console.log(`seller ${sellerId} of tenant ${name} reinstated by ${by} in table ${tableName}`);
    } else if (resource === 'seller' && command === 'unlock-deposits') {
      const { note, by } = values;
      if (!sellerId || !note || !by) throw new UsageError();
      await requireTenant(deps.stores, name, tableName);
      await new DepositUnlockService(deps).unlock(name, sellerId, { note, decidedBy: by });
      console.log(`deposits of seller ${sellerId} of tenant ${name} unlocked by ${by} in table ${tableName}`);
    } else if (resource === 'seller' && command === 'review') {
      const { note, by } = values;
      const outcome = positionals[4];
      const outcomes: readonly string[] = reviewOutcomes;
      if (!sellerId || !note || !by || !outcome || !outcomes.includes(outcome)) throw new UsageError();
      await requireTenant(deps.stores, name, tableName);
      await vaultForOperators(doc, tableName).reviews.close(name, sellerId, {
        outcome: outcome as ReviewOutcome,
        note,
        decidedBy: by,
      });
      console.log(
        `review of seller ${sellerId} of tenant ${name} closed: ${outcome}, by ${by} in table ${tableName}`,
      );
    } else {
      throw new UsageError();
    }
  } catch (error) {
    if (
      (error as Error).name === 'ResourceNotFoundException' ||
      /ECONNREFUSED/.test(String((error as Error).cause ?? error))
    ) {
      throw new Error(
        aws
          ? `table ${tableName} not found`
          : `no DynamoDB at ${endpoint} with table ${tableName}: start the local stack with npm start first`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
}

/** An explicit table, the table of a deployed stage, or the local stack's (configured by env). */
async function target(options: {
  table?: string | undefined;
  stage?: string | undefined;
  region?: string | undefined;
}): Promise<{ tableName: string; endpoint?: string }> {
  if (options.table !== undefined) return { tableName: options.table };
  if (options.stage !== undefined) {
    return { tableName: await readStackOutput(stackName(options.stage), OUTPUTS.tableName, options.region) };
  }
  return loadAdminConfig();
}

class UsageError extends Error {}

/**
 * `--auth` and its parts. `--secret` names the secret (a Secrets Manager ARN or name; locally a
 * key of the key file's issuerSecrets), never holds it: a value on a command line lands in shell history.
 */
function issuerAuth(values: { auth?: string; 'key-id'?: string; secret?: string }): IssuerAuth {
  const { auth: kind, 'key-id': keyId, secret: secretRef } = values;
  if (kind === 'none' && keyId === undefined && secretRef === undefined) return { kind };
  if (kind === 'bearer' && secretRef !== undefined && keyId === undefined) return { kind, secretRef };
  if (kind === 'hmac' && secretRef !== undefined && keyId !== undefined) return { kind, keyId, secretRef };
  throw new UsageError();
}

/** An answer key given inline (`{"kty":...}`) or as a file holding the JWK. */
async function readJwk(value: string): Promise<unknown> {
  const text = value.trimStart().startsWith('{') ? value : await readFile(value, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('--answer-key must be a JWK, or a file holding one', { field: 'answerKeys' });
  }
}

/**
 * An operator's tenant id is typed by hand: a wrong one is named as such, rather than answered
 * as "no such report" or "the seller is not suspended" under a tenant that does not exist.
 */
async function requireTenant(
  stores: ReturnType<typeof createDynamoStores>,
  tenantId: string | undefined,
  tableName: string,
): Promise<void> {
  if (tenantId === undefined) return;
  if (!(await stores.tenants.getTenant(tenantId))) {
    throw new Error(`no tenant ${tenantId} in table ${tableName} (npm start prints the dev tenant's id)`);
  }
}

/** The escalation desk without a cipher or issuer: settling never opens a code. */
function vaultForOperators(doc: ReturnType<typeof createDynamoClients>['doc'], tableName: string) {
  return vaultForDesk({
    stores: createDynamoStores({ doc, tableName }),
    clock: systemClock,
    ids: ulidIdGenerator,
    logger: createLogger({ level: 'warn' }),
    // An operator's process: its stdout is no CloudWatch log, so its settlements are not counted.
    metrics: noMetrics,
    settings: defaultSettings,
  });
}

async function escalationCommand(
  vault: ReturnType<typeof vaultForDesk>,
  command: string,
  args: string[],
  options: { note?: string | undefined; by?: string | undefined },
): Promise<void> {
  const [tenantId, reportId, outcome] = args;
  if (!tenantId) throw new UsageError();
  if (command === 'list') {
    let cursor: string | undefined;
    let listed = 0;
    do {
      const page = await vault.escalations.list(tenantId, 100, cursor);
      listed += page.cases.length;
      for (const { report: r, buyerRecord: b, sellerRecord: s } of page.cases)
        console.log(
          `${r.reportId}  order ${r.orderId}  card ${r.cardId}  ${r.escalation?.reason}  deadline ${r.escalation?.deadline}` +
            `  buyer ${r.buyerId} (${b.rejectedIn90Days} rejected in 90 d${b.creditPoor ? ', credit-poor' : ''})` +
            `  seller ${s.sellerId} (${s.strikes} strikes, ${s.usedAfterRevealBuyers} used-after-reveal buyers${s.review === 'under_review' ? ', under review' : ''})`,
        );
      cursor = page.nextCursor;
    } while (cursor);
    // An empty answer is an answer: the operator should not wonder whether the command ran.
    if (listed === 0) console.log(`no open escalation for tenant ${tenantId}`);
    return;
  }
  const outcomes: readonly string[] = OPERATOR_OUTCOMES;
  if (
    command !== 'settle' ||
    !reportId ||
    !outcome ||
    !outcomes.includes(outcome) ||
    !options.note ||
    !options.by
  )
    throw new UsageError();
  const { report } = await vault.escalations.settle(tenantId, reportId, {
    outcome: outcome as OperatorOutcome,
    note: options.note,
    decidedBy: options.by,
  });
  console.log(`${report.reportId} settled: ${report.decision} (${outcome}) by ${options.by}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(USAGE);
  else console.error(`error: ${(error as Error).message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});

/** `tenant rate-limit`: the tenant's own bucket (`--rate`, `--burst`), or back to the deployment's (`--default`). */
async function setRateLimit(
  tenants: TenantService,
  stores: ReturnType<typeof createDynamoStores>,
  tableName: string,
  tenantId: string,
  values: { rate?: string | undefined; burst?: string | undefined; default?: boolean | undefined },
): Promise<void> {
  await requireTenant(stores, tenantId, tableName);
  if (values.default) {
    if (values.rate !== undefined || values.burst !== undefined) throw new UsageError();
    await tenants.setRateLimit(tenantId, undefined);
    console.log(`tenant ${tenantId} back to the default rate limit (TENANT_RATE_PER_SECOND, TENANT_BURST)`);
  } else {
    if (values.rate === undefined || values.burst === undefined) throw new UsageError();
    const policy = { ratePerSecond: Number(values.rate), burst: Number(values.burst) };
    await tenants.setRateLimit(tenantId, policy);
    console.log(`tenant ${tenantId}: ${policy.ratePerSecond} requests a second, bursts of ${policy.burst}`);
  }
  console.log('Running API processes apply it within API_KEY_CACHE_SECONDS (default 30).');
}
