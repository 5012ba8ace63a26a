/**
 * Bundle report: builds each Lambda entry with the stack's esbuild options, then prints its size
 * and its module init time on this machine beside a baseline bundle that only imports (and
 * constructs) the AWS SDK clients the function needs. The difference is what our own code and
 * its dependencies cost at cold start.
 *
 * Run: `npx tsx infra/bundle-report.ts` (wired as `npm run bundle:report`). Output goes to
 * `.bundle-report/` (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { ENV } from '../shared/config/env-names.js';
import { bundleDefines, ESBUILD, PROJECT_ROOT } from './bundling.js';
import { FUNCTION_SPECS, type FunctionName, type SdkClient } from './function-specs.js';

export const OUT = join(PROJECT_ROOT, '.bundle-report');
const RUNS = 5;

/** What the baseline imports and constructs, per client the function needs. */
const BASELINE_IMPORTS: Record<SdkClient, { imports: string; construct: string }> = {
  dynamodb: {
    imports:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\n" +
      "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
    construct: 'DynamoDBDocumentClient.from(new DynamoDBClient({})), GetCommand',
  },
  kms: {
    imports:
      "import { KMSClient, DecryptCommand, EncryptCommand, GenerateMacCommand } from '@aws-sdk/client-kms';",
    construct: 'new KMSClient({}), DecryptCommand, EncryptCommand, GenerateMacCommand',
  },
};

/** Enough environment for module scope to initialise as in Lambda; nothing here reaches AWS. */
export const LAMBDA_LIKE_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBUNDLEREPORT',
  AWS_SECRET_ACCESS_KEY: 'bundle-report',
  // Lambda runs Node 22; this machine may not, and the SDK would warn on every start.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  [ENV.tableName]: 'card-vault-bundle-report',
  [ENV.stage]: 'dev',
  [ENV.logLevel]: 'info',
  [ENV.codeKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000',
  [ENV.fingerprintKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/11111111-1111-1111-1111-111111111111',
  [ENV.evidenceKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/22222222-2222-2222-2222-222222222222',
  [ENV.linkKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/33333333-3333-3333-3333-333333333333',
  [ENV.webhookSecretKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/44444444-4444-4444-4444-444444444444',
};

export interface Measured {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly initMs: number | undefined;
  readonly initError?: string;
  readonly metafile: Metafile;
}

function esbuildOptions(entry: string, outfile: string, define: Record<string, string>): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: ESBUILD.platform,
    target: ESBUILD.target,
    format: ESBUILD.format,
    minify: ESBUILD.minify,
    sourcemap: ESBUILD.sourcemap,
    sourcesContent: ESBUILD.sourcesContent,
    mainFields: [...ESBUILD.mainFields],
    external: [...ESBUILD.external],
    alias: { ...ESBUILD.alias },
    define,
    banner: { js: ESBUILD.banner },
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: PROJECT_ROOT,
  };
}

/** Imports the bundle in a fresh node process (as a cold start does) and returns milliseconds. */
function initTime(file: string, runs = RUNS): { ms?: number; error?: string } {
  const script =
    'const t = performance.now();' +
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});` +
    'const ms = performance.now() - t;' +
    "if (typeof m.handler !== 'function') throw new Error('no handler export');" +
    'console.log(ms);';
  const samples: number[] = [];
  // One discarded run first, so every measured run finds the file in the OS cache.
  for (let i = -1; i < runs; i += 1) {
    const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (run.status !== 0) return { error: (run.stderr || run.stdout).trim().split('\n').slice(-3).join(' ') };
    if (i >= 0) samples.push(Number(run.stdout.trim().split('\n').at(-1)));
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] ?? 0 };
}

/** Builds `entry` as the stack does and times its init (median of `runs` fresh processes). */
export async function measure(
  entry: string,
  outdir: string,
  runs = RUNS,
  define: Record<string, string> = {},
): Promise<Measured> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.mjs');
  const result = await build(esbuildOptions(entry, outfile, define));
  writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  const code = readFileSync(outfile);
  const init = initTime(outfile, runs);
  return {
    bytes: statSync(outfile).size,
    gzipBytes: gzipSync(code).length,
    initMs: init.ms,
    ...(init.error === undefined ? {} : { initError: init.error }),
    metafile: result.metafile ?? { inputs: {}, outputs: {} },
  };
}

/** A bundle that only imports and constructs the SDK clients function `name` needs. */
export function baselineEntry(name: FunctionName): string {
  mkdirSync(OUT, { recursive: true });
  const clients = FUNCTION_SPECS[name].sdkClients.map((c) => BASELINE_IMPORTS[c]);
  const file = join(OUT, `baseline-${name}.src.mjs`);
  writeFileSync(
    file,
    `${clients.map((c) => c.imports).join('\n')}\n` +
      `export const clients = [${clients.map((c) => c.construct).join(', ')}];\n` +
      'export const handler = async () => clients.length;\n',
  );
  return file;
}

function bundledInputs(metafile: Metafile): Record<string, { bytesInOutput: number }> {
  const [, output] = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs')) ?? [];
  return output?.inputs ?? {};
}

/** Our own service modules in a bundle, to show that each function carries only its use cases. */
function services(metafile: Metafile): string[] {
  return Object.keys(bundledInputs(metafile))
    .filter((p) => p.startsWith('shared/services/'))
    .map((p) => p.replace(/^shared\/services\/|\.ts$/g, ''));
}

/** The biggest contributors, by package (or `own code`), in KB of minified output. */
function topPackages(metafile: Metafile, count = 6): string {
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(bundledInputs(metafile))) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = match?.[1] ?? 'own code';
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)}`)
    .join(', ');
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(8);
const ms = (m: Measured) => (m.initMs === undefined ? '  failed' : m.initMs.toFixed(1).padStart(8));
const baselineColumns = (clients: readonly SdkClient[], m: Measured) =>
  `${clients.join('+').padEnd(12)} ${kb(m.bytes)} ${kb(m.gzipBytes)} ${ms(m)}`;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rows: string[] = [];
  const details: string[] = [];
  for (const name of Object.keys(FUNCTION_SPECS) as FunctionName[]) {
    const spec = FUNCTION_SPECS[name];
    const base = await measure(baselineEntry(name), join(OUT, `baseline-${name}`));
    if (!existsSync(join(PROJECT_ROOT, spec.entry))) {
      rows.push(
        `${name.padEnd(8)} ${'(no entry)'.padStart(26)}   | ${baselineColumns(spec.sdkClients, base)}`,
      );
      continue;
    }
    const fn = await measure(join(PROJECT_ROOT, spec.entry), join(OUT, name), RUNS, bundleDefines(spec));
    rows.push(
      `${name.padEnd(8)} ${kb(fn.bytes)} ${kb(fn.gzipBytes)} ${ms(fn)}   | ${baselineColumns(spec.sdkClients, base)}`,
    );
    if (fn.initError !== undefined) details.push(`${name}: init failed: ${fn.initError}`);
    details.push(`${name}: services: ${services(fn.metafile).join(', ') || 'none'}`);
    details.push(`${''.padEnd(name.length)}  largest (KB): ${topPackages(fn.metafile)}`);
  }
  console.log(
    `Lambda bundles (esbuild ${ESBUILD.format}, ${ESBUILD.target}, minified), init = median of ${RUNS} fresh`,
  );
  console.log(`node ${process.version} processes importing the bundle with --enable-source-maps.\n`);
  console.log('function  bundle KB  gzip KB  init ms   | baseline     bundle KB  gzip KB  init ms');
  console.log('-'.repeat(88));
  for (const row of rows) console.log(row);
  console.log(`\n${details.join('\n')}`);
  console.log(`\nBundles and metafiles: ${relative(process.cwd(), OUT)}/`);
}

// The bench reuses measure() and baselineEntry(); only `npm run bundle:report` prints the report.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
