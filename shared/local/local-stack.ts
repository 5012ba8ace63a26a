import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type MeteredCall, meterDynamoClient } from '../adapters/dynamodb/capacity-meter.js';
import { ensureTable } from '../adapters/dynamodb/create-table.js';
import { createDynamoClients } from '../adapters/dynamodb/dynamodb-clients.js';
import { createDynamoHealthProbe } from '../adapters/dynamodb/dynamodb-health-probe.js';
import { createDynamoStores } from '../adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../adapters/ids/ulid-id-generator.js';
import { HttpIssuer } from '../adapters/issuer/http-issuer.js';
import { LocalIssuerSecrets } from '../adapters/issuer/local-issuer-secrets.js';
import { createLocalCodeCipher } from '../adapters/local-cipher/local-code-cipher.js';
import { createLocalLinkMac } from '../adapters/local-cipher/local-link-mac.js';
import { createLocalWebhookSecretCipher } from '../adapters/local-cipher/local-webhook-secret-cipher.js';
import {
  createLocalEvidenceSigner,
  evidenceKeyFileBeside,
} from '../adapters/local-signer/local-evidence-signer.js';
import type { LogDestination } from '../adapters/logging/json-logger.js';
import { createLogger } from '../adapters/logging/json-logger.js';
import { InMemoryMetrics } from '../adapters/metrics/in-memory-metrics.js';
import { endpointUrlPolicy } from '../adapters/webhook-http/endpoint-url-policy.js';
import type { loadLocalConfig } from '../config/config.js';
import { ENV } from '../config/env-names.js';
import { createApp } from '../http/app.js';
import { serveApp } from '../http/node-server.js';
import { allPages, allRoutes } from '../http/routes/all-routes.js';
import { DEMO_BRANDS, demoBrand } from '../issuer-sim/demo-brands.js';
import { startIssuerSim } from '../issuer-sim/issuer-sim-server.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { CodeCipher } from '../ports/code-cipher.js';
import type { Metrics } from '../ports/metrics.js';
import { isApiKey } from '../services/tenant-service.js';
import { createVault } from '../services/vault.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { type LocalWebhooks, startLocalWebhooks } from './local-webhooks.js';

export type LocalConfig = ReturnType<typeof loadLocalConfig>;

export interface LocalStack {
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly dynamodbEndpoint: string;
  /** The DynamoDB Local this stack started first, if it started one (a restart gets a new pid). */
  readonly dynamodbPid: number | undefined;
  readonly tableName: string;
  readonly devApiKey: string;
  /** The dev tenant the key belongs to, printed for the operator CLI. */
  readonly devTenantId: string;
  readonly vault: ReturnType<typeof createVault>;
  /** The business metrics Lambda would send as EMF; logged as one `metrics` line a minute. */
  readonly metrics: InMemoryMetrics;
  /** The stream poller's fan-out and the dispatcher loop, unless started with `webhooks: false`. */
  readonly webhooks: LocalWebhooks | undefined;
  /** Stops everything this stack started, in reverse order (Java included). */
  stop(): Promise<void>;
}

/** Restarts of a dead DynamoDB Local (on disk) before the stack gives up: a crash loop must not spin for ever. */
const MAX_DATABASE_RESTARTS = 3;
const METRICS_INTERVAL_MS = 60_000;

/**
 * The whole vault on one machine: DynamoDB Local, the table, the simulated issuer, the API
 * and the sweeper timer, wired with the same services and adapters as Lambda except the
 * local cipher. `npm start` and the end-to-end tests both start it through here.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: {
    clock?: Clock;
    logDestination?: LogDestination;
    say?: (line: string) => void;
    /**
     * The DynamoDB Local this stack started died and will not come back: it was in memory (a
     * restart would be empty), or a restart failed, or it died MAX_DATABASE_RESTARTS times.
     * Default: say why, stop everything and exit with status 1, rather than serve 503s for ever.
     * On disk it is first restarted on the same port and data; requests answer 503 meanwhile.
     */
    onDatabaseLost?: (message: string) => void;
    /** Poll the table's stream and deliver webhooks (default true; the test stack turns it on per file). */
    webhooks?: boolean;
    /** Where the data lives when not in memory (DynamoDB Local's files, the dev API key); default `.data`. */
    dataDir?: string;
    /** Sees every DynamoDB call with its consumed capacity, and every cipher call (the bench counts them). */
    observe?: {
      dynamo?: (call: MeteredCall) => void;
      cipher?: (call: keyof CodeCipher) => void;
      /** Sees every business metric too (the tests give it an EMF writer to search its output). */
      metrics?: Metrics;
    };
  } = {},
): Promise<LocalStack> {
  const say = options.say ?? (() => {});
  const logger = createLogger({
    level: config.settings.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const stops: Array<() => Promise<void>> = [];
  const dataDir = options.dataDir ?? '.data';
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  const onDatabaseLost =
    options.onDatabaseLost ??
    ((message: string) => {
      say(message);
      void stop().finally(() => process.exit(1));
    });
  try {
    let endpoint = config.dynamodbEndpoint;
    let dynamodbPid: number | undefined;
    if (!endpoint) {
      let restarts = 0;
      const lost = (why: string) =>
        onDatabaseLost(
          `${why}: every request now answers 503. card-vault is stopping; run npm start again` +
            `${config.inMemory ? ' (in memory: the data is gone)' : ` (data in ${dataDir}/ is kept)`}.`,
        );
      const startDynamo = (port: number): Promise<DynamoDbLocal> =>
        startDynamoDbLocal({
          port,
          inMemory: config.inMemory,
          dataDir: join(dataDir, 'dynamodb'),
          // Java's own chatter stays quiet; what the launcher decides (reclaiming a leftover) is said.
          log: (line) => {
            if (line.includes('stopping pid')) say(line);
          },
          onUnexpectedExit: (why) => {
            if (stopping) return;
            // In memory a restart would serve an empty table as if nothing had been sold.
            if (config.inMemory || restarts >= MAX_DATABASE_RESTARTS) return lost(why);
            restarts += 1;
            // The same port, so the clients' endpoint stays right, as DynamoDB's does after an outage.
            say(
              `${why}: restarting it on the same port and data (${restarts} of ${MAX_DATABASE_RESTARTS}); requests answer 503 meanwhile.`,
            );
            startDynamo(dynamo.port).then(
              (restarted) => {
                // Stopped while Java was starting: this one is not in `stops` yet.
                if (stopping) return void restarted.stop();
                dynamo = restarted;
                say(`DynamoDB Local is back (pid ${restarted.pid}, ${restarted.endpoint}).`);
              },
              (error: unknown) =>
                lost(
                  `${why}; restarting it failed (${error instanceof Error ? error.message : String(error)})`,
                ),
            );
          },
        });
      let dynamo = await startDynamo(config.dynamodbPort);
      dynamodbPid = dynamo.pid;
      stops.push(() => dynamo.stop());
      endpoint = dynamo.endpoint;
    }
    const { client, doc } = createDynamoClients({ endpoint });
    stops.push(async () => client.destroy());
    if (options.observe?.dynamo) meterDynamoClient(client, options.observe.dynamo);
    // A stack that delivers no webhooks (tests, the bench) needs no stream: see TableOptions.
    await ensureTable(client, config.tableName, { stream: options.webhooks ?? true });

    const issuerSim = await startIssuerSim({
      port: config.issuerSimPort,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    stops.push(() => issuerSim.close());

    // The figures CloudWatch would get, as one log line per minute with anything to say.
    const metrics = new InMemoryMetrics((figures) => logger.info({ metrics: figures }, 'metrics'));
    const metricsTimer = setInterval(() => metrics.flush(), METRICS_INTERVAL_MS);
    metricsTimer.unref();
    stops.push(async () => {
      clearInterval(metricsTimer);
      metrics.flush();
    });
    // One cipher for both halves here; in AWS the api may only seal and the dispatcher only open.
    const webhookSecrets = await createLocalWebhookSecretCipher({ keyFile: config.localKeyFile });
    const vault = createVault({
      stores: createDynamoStores({ doc, tableName: config.tableName }),
      webhookSecrets,
      cipher: observed(
        await createLocalCodeCipher({ keyFile: config.localKeyFile }),
        options.observe?.cipher,
      ),
      issuer: new HttpIssuer({ ...config.issuer, secrets: new LocalIssuerSecrets(config.localKeyFile) }),
      clock: options.clock ?? systemClock,
      ids: ulidIdGenerator,
      logger,
      metrics: alsoTo(metrics, options.observe?.metrics),
      settings: config.settings,
      endpointUrls: endpointUrlPolicy(config.webhookEndpointMode),
      evidenceSigner: await createLocalEvidenceSigner({
        keyFile: evidenceKeyFileBeside(config.localKeyFile),
      }),
      linkKeys: await createLocalLinkMac({ keyFile: config.localKeyFile }),
    });
    for (const format of DEMO_BRANDS)
      await vault.tenants.registerBrand(
        demoBrand(format, issuerSim.url, undefined, issuerSim.answerKey),
        'local',
      );
    const devApiKey = await seedDevTenant(vault, config, join(dataDir, 'dev-api-key'));
    // The operator CLI (`npm run seller`, `npm run escalation`) takes the tenant by id.
    const devTenantId = await vault.tenants.authenticate(devApiKey);

    let webhooks: LocalWebhooks | undefined;
    if (options.webhooks ?? true) {
      webhooks = await startLocalWebhooks({
        client,
        doc,
        endpoint,
        tableName: config.tableName,
        clock: options.clock ?? systemClock,
        logger,
        metrics: alsoTo(metrics, options.observe?.metrics),
        settings: config.webhooks,
        intervalMs: config.webhookDispatchIntervalMs,
        secrets: webhookSecrets,
      });
      const started = webhooks;
      stops.push(() => started.stop());
    }

    const app = createApp({
      tenants: vault.tenants,
      limits: vault.limits,
      logger,
      modules: allRoutes(vault),
      pages: allPages(vault, logger),
      health: { database: createDynamoHealthProbe({ doc, tableName: config.tableName }) },
    });
    const api = await serveApp(app, {
      port: config.port,
      portVariable: ENV.port,
    });
    stops.push(() => api.close());

    const timer = setInterval(() => {
      vault.sweeper.sweep().catch((error: unknown) => logger.error({ err: String(error) }, 'sweep failed'));
    }, config.sweepIntervalSeconds * 1000);
    timer.unref();
    stops.push(async () => clearInterval(timer));

    say(`card-vault API     ${api.url}   (OpenAPI: ${api.url}/openapi.json)`);
    say(`issuer simulator   ${issuerSim.url}`);
    say(
      `DynamoDB           ${endpoint}   table ${config.tableName}${config.inMemory ? ' (in memory)' : ` (data in ${dataDir}/)`}`,
    );
    say(`dev API key        ${devApiKey}`);
    say(
      `dev tenant         ${devTenantId} (${DEV_TENANT_NAME}; the <tenantId> of npm run seller/escalation)`,
    );
    return {
      apiUrl: api.url,
      issuerUrl: issuerSim.url,
      dynamodbEndpoint: endpoint,
      dynamodbPid,
      tableName: config.tableName,
      devApiKey,
      devTenantId,
      vault,
      metrics,
      webhooks,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Counts and gauges go to both; each owner flushes its own. */
function alsoTo(metrics: Metrics, observer: Metrics | undefined): Metrics {
  if (!observer) return metrics;
  return {
    count: (metric, value) => {
      metrics.count(metric, value);
      observer.count(metric, value);
    },
    gauge: (metric, value) => {
      metrics.gauge(metric, value);
      observer.gauge(metric, value);
    },
    flush: () => metrics.flush(),
  };
}

function observed(cipher: CodeCipher, see: ((call: keyof CodeCipher) => void) | undefined): CodeCipher {
  if (!see) return cipher;
  return {
    encrypt(secret, context) {
      see('encrypt');
      return cipher.encrypt(secret, context);
    },
    decrypt(ciphertext, context) {
      see('decrypt');
      return cipher.decrypt(ciphertext, context);
    },
    fingerprint(code) {
      see('fingerprint');
      return cipher.fingerprint(code);
    },
  };
}

/** The name of the tenant `npm start` (and the test stack) seeds: its pages show it. */
export const DEV_TENANT_NAME = 'dev';

/** The dev tenant: DEV_API_KEY if given, else the key kept in .data/ from an earlier start, else a new one. */
async function seedDevTenant(
  vault: ReturnType<typeof createVault>,
  config: LocalConfig,
  devKeyFile: string,
): Promise<string> {
  if (config.devApiKey !== undefined && !isApiKey(config.devApiKey)) {
    throw new Error(
      `${ENV.devApiKey} must look like cvk_<16 hex>_<43 base64url chars>; unset it to get one printed`,
    );
  }
  const remembered = config.inMemory
    ? undefined
    : await readFile(devKeyFile, 'utf8').then(
        (s) => s.trim(),
        () => undefined,
      );
  const wanted = config.devApiKey ?? remembered;
  if (
    wanted &&
    (await vault.tenants.authenticate(wanted).then(
      () => true,
      () => false,
    ))
  )
    return wanted;
  const { apiKey } = await vault.tenants.create(DEV_TENANT_NAME, wanted);
  if (!config.inMemory) {
    await mkdir(dirname(devKeyFile), { recursive: true });
    await writeFile(devKeyFile, `${apiKey}\n`, { mode: 0o600 });
  }
  return apiKey;
}
