import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * One set of esbuild options for the stack and for infra/bundle-report.ts, so the report
 * measures exactly what is deployed.
 *
 * - ESM for Node 22: top-level await is available and esbuild can tree-shake ES modules.
 * - `module` before `main`: the AWS SDK and most of our dependencies ship ES builds there,
 *   which tree-shake far better than their CommonJS builds.
 * - The AWS SDK is bundled, not taken from the runtime: the version we test is the version
 *   that runs, and a minified single file loads faster than the runtime's many files.
 * - A CommonJS dependency may still call `require('node:...')`; in an ES module `require`
 *   does not exist, so the banner defines one.
 * - External source maps without sources content: the maps only serve stack traces
 *   (`NODE_OPTIONS=--enable-source-maps`), and leaving the sources out halves their size.
 */
export const ESBUILD = {
  target: 'node22',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  external: [] as string[],
  banner:
    "import { createRequire as __cvRequire } from 'node:module';const require = __cvRequire(import.meta.url);",
} as const;

/** NodejsFunction bundling built from {@link ESBUILD}; always local esbuild, never Docker. */
export function lambdaBundling(): BundlingOptions {
  assertLocalEsbuild();
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
