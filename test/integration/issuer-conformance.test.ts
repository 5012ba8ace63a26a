import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runIssuerConformance } from '../../shared/conformance/issuer-conformance.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';
import { type SimBrokenMode, simBrokenModes } from '../../shared/issuer-sim/sim-sandbox.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BRAND = 'acme-gift';
const HMAC = { keyId: 'k1', secret: 'conformance-secret-0123456789' };

const sims: IssuerSimServer[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

/** A simulator that signs its answers and requires the brand's checks HMAC-signed, as a bridge would. */
async function aSim(broken: readonly SimBrokenMode[] = []) {
  const sim = await startIssuerSim({ port: 0, broken });
  sims.push(sim);
  const res = await fetch(`${sim.url}/_sim/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brand: BRAND, hmac: HMAC }),
  });
  expect(res.status).toBe(200);
  return sim;
}

const kitAgainst = (sim: IssuerSimServer) =>
  runIssuerConformance({
    url: sim.url,
    brand: BRAND,
    auth: { kind: 'hmac', ...HMAC },
    answerKeys: [sim.answerKey],
  });

/** The one row each broken mode must fail, and no other. */
const BREAKS: Record<SimBrokenMode, string> = {
  'no-last-used': 'partly spent, with lastUsedAt',
  'no-redeemed-at': 'redeemed, with a time',
  'invalid-as-404': 'invalid',
  'not-slow': 'slow, past the 2000 ms timeout',
  'no-retry-after': '429 with Retry-After',
  'error-as-200': '5xx',
  'good-signature': 'bad signature, refused',
};

describe('the issuer conformance kit (issue 21, item 5)', () => {
  it('passes every case against the simulator, signed answers and HMAC requests included', async () => {
    const rows = await kitAgainst(await aSim());
    expect(rows.filter((r) => r.result !== 'pass')).toEqual([]);
    expect(rows.map((r) => r.name)).toEqual([
      'active with a balance',
      'partly spent, with lastUsedAt',
      'redeemed, with a time',
      'redeemed, without a time',
      'invalid',
      'slow, past the 2000 ms timeout',
      '429 with Retry-After',
      '5xx',
      'bad signature, refused',
      'an unauthenticated check refused (401)',
    ]);
  });

  it('fails exactly the row each broken simulator mode breaks, with a reason', async () => {
    expect(Object.keys(BREAKS).sort()).toEqual([...simBrokenModes].sort());
    const results = await Promise.all(
      simBrokenModes.map(async (mode) => ({ mode, rows: await kitAgainst(await aSim([mode])) })),
    );
    for (const { mode, rows } of results) {
      const failed = rows.filter((r) => r.result !== 'pass');
      expect(
        failed.map((r) => r.name),
        mode,
      ).toEqual([BREAKS[mode]]);
      expect(failed[0]?.reason, mode).not.toBe('');
    }
  });

  it('fails every answer row when the bridge is given the wrong secret, or another answer key', async () => {
    const sim = await aSim();
    const wrongSecret = await runIssuerConformance({
      url: sim.url,
      brand: BRAND,
      auth: { kind: 'hmac', keyId: HMAC.keyId, secret: 'not-the-secret' },
    });
    expect(wrongSecret.find((r) => r.name === 'active with a balance')).toMatchObject({
      result: 'fail',
      reason: expect.stringContaining('HTTP 401'),
    });
    const other = await aSim();
    const wrongKey = await runIssuerConformance({
      url: sim.url,
      brand: BRAND,
      auth: { kind: 'hmac', ...HMAC },
      answerKeys: [other.answerKey],
    });
    expect(wrongKey.find((r) => r.name === 'invalid')).toMatchObject({
      result: 'fail',
      reason: expect.stringContaining('bad answer signature'),
    });
  });

  it('runs as npm run issuer:conformance: a table, exit 0 on a conforming bridge and 1 on a broken one', async () => {
    const [good, broken] = await Promise.all([aSim(), aSim(['no-retry-after'])]);
    const [ok, bad] = (await Promise.all(
      [good, broken].map((sim) =>
        runKit(
          '--url',
          sim.url,
          '--brand',
          BRAND,
          '--auth',
          'hmac',
          '--key-id',
          HMAC.keyId,
          '--secret-env',
          'BRIDGE_SECRET',
          '--answer-key',
          JSON.stringify(sim.answerKey),
        ),
      ),
    )) as [KitRun, KitRun];
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^active with a balance\s+CVTESTACTIVE\s+PASS\s+signature verified$/m);
    expect(ok.stdout).toContain('all 10 cases pass');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^429 with Retry-After\s+CVTESTTHROTTLED\s+FAIL\s+no Retry-After$/m);
    expect(bad.stdout).toContain('1 case(s) fail');
    expect(`${ok.stdout}${ok.stderr}${bad.stdout}${bad.stderr}`).not.toContain(HMAC.secret);
  }, 60_000);
});

type KitRun = { status: number | null; stdout: string; stderr: string };

function runKit(...args: string[]): Promise<KitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/issuer-conformance.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', BRIDGE_SECRET: HMAC.secret },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
