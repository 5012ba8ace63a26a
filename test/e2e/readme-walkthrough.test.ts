import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../support/test-stack.js';

/**
 * Issue 23: the README's curl walkthrough is run as a reader pastes it, so it cannot go stale.
 * It broke on a second run once (fixed idempotency keys) and reported a code that worked; it now
 * makes its own ids, and its report must end in a refund, twice in a row.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function walkthroughBlock(readme: string): string {
  const after = readme.slice(readme.indexOf('<!-- walkthrough -->'));
  const block = /```sh\n([\s\S]*?)\n```/.exec(after)?.[1];
  if (!block) throw new Error('the README has no walkthrough block after <!-- walkthrough -->');
  return block;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** bash in its own process group, so the receiver it starts in the background dies with it. */
function runBash(script: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {}
    };
    const timer = setTimeout(killGroup, 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr });
    });
  });
}

const stack = useTestStack({}, { webhooks: true });

describe("the README's curl walkthrough", () => {
  it('sells, reveals and refunds on the report, twice in a row', { timeout: 200_000 }, async () => {
    const s = stack.current;
    const env = { API: s.apiUrl, ISSUER: s.issuerUrl, KEY: s.devApiKey };
    for (const round of [1, 2]) {
      const run = await runBash(walkthroughBlock(README), env);
      const lines = run.stdout.split('\n');
      expect(run.code, `round ${round}\n${run.stdout}\n${run.stderr}`).toBe(0);
      expect(lines[0]).toBe('accepted');
      expect(lines).toContain('paid');
      expect(run.stdout).toMatch(/^NOT PAID - do not send anything/m);
      expect(run.stdout).toMatch(/^refunded: redeemed before the vault revealed it/m);
      expect(run.stdout).toMatch(/^order\.placed > payment\.received > order\.revealed > .*order\.refunded/m);
      expect(run.stdout).toMatch(/^strikes 1, balance /m);
      // The local receiver got the payment's webhook (the refund's may still be on its way).
      expect(run.stdout).toContain('webhook received: order.paid');
    }
    // The walkthrough deletes its endpoint, so running it again and again never fills the tenant's 16.
    const endpoints = await s.get('/v1/webhook-endpoints');
    expect(endpoints.body.endpoints).toEqual([]);
  });
});
