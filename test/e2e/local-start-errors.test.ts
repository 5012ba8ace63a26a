import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start`'s entry, run as npm runs it, with a setting it must refuse before starting anything. */
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'functions/local.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('npm start with a bad setting', () => {
  it('exits 1 with one line naming the setting, not a stack trace', () => {
    const run = start({ PAYMENT_TIMEOUT_SECONDS: 'abc', IN_MEMORY: '1' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^card-vault could not start: .*PAYMENT_TIMEOUT_SECONDS/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain('ready in');
  });
});
