/**
 * cfn-lint on both stages' templates, as `cdk synth` writes them (stub code: the lint reads the
 * template, not the bundles). `npm run lint:cfn`; `.ci/run` installs cfn-lint when missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './build-app.js';
import { STAGES } from './stage-config.js';

const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

const outdir = mkdtempSync(join(tmpdir(), 'card-vault-cfn-lint-'));
try {
  const templates = STAGES.map((stage) => {
    const dir = join(outdir, stage);
    const { app, stack } = buildApp({ context: { ...cdkJson.context, stage }, code: 'stub', outdir: dir });
    app.synth();
    return join(dir, stack.templateFile);
  });
  // W3005 (a DependsOn a GetAtt already implies): CDK makes each function depend on its role
  // and the role's policy, so that the policy exists before the function runs; harmless.
  const args = ['--format', 'parseable', '--ignore-checks', 'W3005', '--', ...templates];
  const run = spawnSync('cfn-lint', args, { encoding: 'utf8' });
  if (run.error) {
    console.error(`cfn-lint could not run (${run.error.message}): pip install cfn-lint (docs/deploy.md)`);
    process.exit(2);
  }
  process.stdout.write(run.stdout.replaceAll(outdir, '<synth>'));
  process.stderr.write(run.stderr);
  console.log(`cfn-lint ${run.status === 0 ? 'passed' : 'failed'} on ${STAGES.join(' and ')}`);
  process.exit(run.status ?? 1);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
