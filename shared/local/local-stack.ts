import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DestinationStream } from 'pino';
import { type MeteredCall, meterDynamoClient } from '../adapters/dynamodb/capacity-meter.js';
import { ensureTable } from '../adapters/dynamodb/create-table.js';
import { createDynamoClients } from '../adapters/dynamodb/dynamodb-clients.js';
import { createDynamoHealthProbe } from '../adapters/dynamodb/dynamodb-health-probe.js';
import { DynamoLinkStore } from '../adapters/dynamodb/dynamodb-link-store.js';
import { createDynamoStores } from '../adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../adapters/ids/ulid-id-generator.js';
import { HttpIssuer } from '../adapters/issuer/http-issuer.js';
import { createLocalCodeCipher } from '../adapters/local-cipher/local-code-cipher.js';
import { createLogger } from '../adapters/logging/pino-logger.js';
import type { loadLocalConfig } from '../config/config.js';
import { ENV } from '../config/env-names.js';
import { createApp } from '../http/app.js';
import { serveApp } from '../http/node-server.js';
import { allRoutes } from '../http/routes/all-routes.js';
import { linkRoutes } from '../http/routes/link-routes.js';
import { DEMO_BRANDS, demoBrand } from '../issuer-sim/demo-brands.js';
import { startIssuerSim } from '../issuer-sim/issuer-sim-server.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { CodeCipher } from '../ports/code-cipher.js';
import { LinkService } from '../services/link-service.js';
import { isApiKey } from '../services/tenant-service.js';
import { createVault } from '../services/vault.js';
import { startDynamoDbLocal } from './dynamodb-local.js';

export type LocalConfig = ReturnType<typeof loadLocalConfig>;

export interface LocalStack {
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly dynamodbEndpoint: string;
  /** The DynamoDB Local this stack started, if it started one. */
  readonly dynamodbPid: number | undefined;
  readonly tableName: string;
  readonly devApiKey: string;
  readonly vault: ReturnType<typeof createVault>;
  /** Stops everything this stack started, in reverse order (Java included). */
  stop(): Promise<void>;
}

const DEV_KEY_FILE = '.data/dev-api-key';

/**
 * The whole vault on one machine: DynamoDB Local, the table, the simulated issuer, the API
 * and the sweeper timer, wired with the same services and adapters as Lambda except the
 * local cipher. `npm start` and the end-to-end tests both start it through here.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: {
    clock?: Clock;
    logDestination?: DestinationStream;
    say?: (line: string) => void;
    /**
     * The DynamoDB Local this stack started died. Default: say why, stop everything and exit
     * with status 1, rather than serve 503s from a database that will not come back.
     */
    onDatabaseLost?: (message: string) => void;
    /** Sees every DynamoDB call with its consumed capacity, and every cipher call (the bench counts them). */
    observe?: { dynamo?: (call: MeteredCall) => void; cipher?: (call: keyof CodeCipher) => void };
  } = {},
): Promise<LocalStack> {
  const say = options.say ?? (() => {});
  const logger = createLogger({
    level: config.settings.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
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
      const dynamo = await startDynamoDbLocal({
        port: config.dynamodbPort,
        inMemory: config.inMemory,
        dataDir: '.data/dynamodb',
        // Java's own chatter stays quiet; what the launcher decides (reclaiming a leftover) is said.
        log: (line) => {
          if (line.includes('stopping pid')) say(line);
        },
        onUnexpectedExit: (why) =>
          onDatabaseLost(
            `${why}: every request now answers 503. card-vault is stopping; run npm start again` +
              `${config.inMemory ? ' (in memory: the data is gone)' : ' (data in .data/ is kept)'}.`,
          ),
      });
      dynamodbPid = dynamo.pid;
      stops.push(() => dynamo.stop());
      endpoint = dynamo.endpoint;
    }
    const { client, doc } = createDynamoClients({ endpoint });
    stops.push(async () => client.destroy());
    if (options.observe?.dynamo) meterDynamoClient(client, options.observe.dynamo);
    await ensureTable(client, config.tableName);

    const issuerSim = await startIssuerSim({
      port: config.issuerSimPort,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    stops.push(() => issuerSim.close());

    const stores = createDynamoStores({ doc, tableName: config.tableName });
    const vault = createVault({
      stores,
      cipher: observed(
        await createLocalCodeCipher({ keyFile: config.localKeyFile }),
        options.observe?.cipher,
      ),
      issuer: new HttpIssuer(),
      clock: options.clock ?? systemClock,
      ids: ulidIdGenerator,
      logger,
      settings: config.settings,
    });
    for (const format of DEMO_BRANDS) await vault.tenants.registerBrand(demoBrand(format, issuerSim.url));
    const devApiKey = await seedDevTenant(vault, config);

    const links = new LinkService({
      links: new DynamoLinkStore({ doc, tableName: config.tableName }),
      stores,
      clock: options.clock ?? systemClock,
      ids: ulidIdGenerator,
    });
    const app = createApp({
      tenants: vault.tenants,
      logger,
      modules: [...allRoutes(vault), linkRoutes(links)],
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
      `DynamoDB           ${endpoint}   table ${config.tableName}${config.inMemory ? ' (in memory)' : ' (data in .data/)'}`,
    );
    say(`dev API key        ${devApiKey}`);
    return {
      apiUrl: api.url,
      issuerUrl: issuerSim.url,
      dynamodbEndpoint: endpoint,
      dynamodbPid,
      tableName: config.tableName,
      devApiKey,
      vault,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
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

/** The dev tenant: DEV_API_KEY if given, else the key kept in .data/ from an earlier start, else a new one. */
async function seedDevTenant(vault: ReturnType<typeof createVault>, config: LocalConfig): Promise<string> {
  if (config.devApiKey !== undefined && !isApiKey(config.devApiKey)) {
    throw new Error(
      `${ENV.devApiKey} must look like cvk_<16 hex>_<43 base64url chars>; unset it to get one printed`,
    );
  }
  const remembered = config.inMemory
    ? undefined
    : await readFile(DEV_KEY_FILE, 'utf8').then(
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
  const { apiKey } = await vault.tenants.create('dev', wanted);
  if (!config.inMemory) {
    await mkdir(dirname(DEV_KEY_FILE), { recursive: true });
    await writeFile(DEV_KEY_FILE, `${apiKey}\n`, { mode: 0o600 });
  }
  return apiKey;
}
