import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { DeployedFunctionSpec, FunctionSpec } from './function-specs.js';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The Node.js major every function runs on (`nodejs24.x`, supported into 2028) and esbuild
 * targets: one number, so the runtime and the bundles' target cannot drift apart.
 */
export const LAMBDA_NODE_MAJOR = 24;

/**
 * One set of esbuild options for the stack and for infra/bundle-report.ts, so the report
 * measures exactly what is deployed.
 *
 * - ESM for the Lambda runtime's Node ({@link LAMBDA_NODE_MAJOR}): top-level await is available and
 *   esbuild can tree-shake ES modules. The code itself stays Node 20-compatible (tests run there).
 * - `module` before `main`: the AWS SDK and most of our dependencies ship ES builds there,
 *   which tree-shake far better than their CommonJS builds.
 * - The AWS SDK is bundled, not taken from the runtime: the version we test is the version
 *   that runs, and a minified single file loads faster than the runtime's many files.
 * - A CommonJS dependency may still call `require('node:...')`; in an ES module `require`
 *   does not exist, so the banner defines one.
 * - External source maps without sources content: the maps only serve stack traces
 *   (`NODE_OPTIONS=--enable-source-maps`), and leaving the sources out halves their size.
 * - `@hono/zod-openapi` is aliased to shared/http/openapi-lite.ts: the same validation without
 *   the OpenAPI generator, which with zod's `z` object it extends was ~480 KB of each bundle
 *   (about half of it), parsed at every cold start. The document is built at synth instead
 *   ({@link bundleDefines}).
 */
export const ESBUILD = {
  target: `node${LAMBDA_NODE_MAJOR}`,
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  external: [] as string[],
  alias: { '@hono/zod-openapi': join(PROJECT_ROOT, 'shared/http/openapi-lite.ts') } as Record<string, string>,
  banner:
    "import { createRequire as __cvRequire } from 'node:module';const require = __cvRequire(import.meta.url);",
} as const;

/**
 * Constants esbuild writes into function `spec`'s bundle: the whole API's OpenAPI document (a
 * JSON string) for the function that answers `/openapi.json`, as the real generator builds it
 * from the routes (functions/openapi-document.ts, in its own process: infra imports no runtime code).
 */
export function bundleDefines(spec: Pick<FunctionSpec, 'servesOpenApiDocument'>): Record<string, string> {
  if (!spec.servesOpenApiDocument) return {};
  // Gzipped: the document (~170 KB, every operation with its problem codes) passes through a
  // command-line argument, and the api function unpacks it at its first `/openapi.json`.
  const packed = gzipSync(openApiDocument(), { level: 9 }).toString('base64');
  return { CARD_VAULT_OPENAPI_DOCUMENT: JSON.stringify(packed) };
}

let document: string | undefined;

/** The document `functions/openapi-document.ts` prints, once per process. */
export function openApiDocument(): string {
  if (document !== undefined) return document;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'functions/openapi-document.ts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0 || !run.stdout.startsWith('{')) {
    throw new Error(`could not build the OpenAPI document: ${(run.stderr || run.stdout).trim().slice(-600)}`);
  }
  document = run.stdout;
  return document;
}

/**
 * CDK hands defines to the esbuild CLI as arguments, and Linux refuses one over 128 KiB
 * (MAX_ARG_STRLEN). Well before that, the document should become a file next to the bundle.
 */
const MAX_DEFINE_CHARS = 100_000;

/** NodejsFunction bundling built from {@link ESBUILD}; always local esbuild, never Docker. */
export function lambdaBundling(spec: DeployedFunctionSpec): BundlingOptions {
  assertLocalEsbuild();
  const define = bundleDefines(spec);
  for (const [name, value] of Object.entries(define)) {
    if (value.length > MAX_DEFINE_CHARS) {
      throw new Error(`${name} is ${value.length} characters, too long for an esbuild CLI argument`);
    }
  }
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    target: ESBUILD.target,
    minify: ESBUILD.minify,
    sourceMap: ESBUILD.sourcemap,
    sourcesContent: ESBUILD.sourcesContent,
    mainFields: [...ESBUILD.mainFields],
    externalModules: [...ESBUILD.external],
    bundleAwsSDK: true,
    banner: ESBUILD.banner,
    define,
    // `--alias:<package>=<path>`: CDK's bundling options have no alias field.
    esbuildArgs: Object.fromEntries(
      Object.entries(ESBUILD.alias).map(([name, path]) => [`--alias:${name}`, path]),
    ),
    logLevel: LogLevel.WARNING,
  };
}

/**
 * NodejsFunction silently falls back to Docker when it cannot find esbuild. There is no
 * Docker here (nor in CI), so fail at synth with a message that says what to do instead.
 */
export function assertLocalEsbuild(): void {
  try {
    createRequire(import.meta.url).resolve('esbuild');
  } catch (cause) {
    throw new Error(
      'esbuild is not installed locally; card-vault bundles Lambda code with the local esbuild and ' +
        'never with Docker. Run `npm ci` first.',
      { cause },
    );
  }
}
