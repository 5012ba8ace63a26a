import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { signWebhook } from '../../shared/webhooks/sign-webhook.js';
import { aListing, aPaidOrder } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

/**
 * Issue 23 items 1-2: the client as a marketplace gets it. Built (`npm run client:build`), packed
 * (`npm pack` in client/), installed from the tarball into a scratch project outside the
 * repository, type-checked there under `strict` with the repository's TypeScript, and run against
 * a test stack: a typed problem guard, a `WebhookEvent` switch, paging, a timeout and a reveal.
 */
const run = promisify(execFile);
const REPO = resolve('.');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const stack = useTestStack();

let scratch: string;
let tarball: string;
let typeCheck: { ok: boolean; output: string };
/** Accepts connections and never answers: what a hung vault looks like to the client. */
let silent: Server;
const held: Socket[] = [];

/** The marketplace's code: every line must compile under `strict` against the installed package. */
const SAMPLE = `
// A Node marketplace has @types/node; this one declares the one global it uses, which also shows
// that the package's declarations need no Node types (a browser or worker project compiles too).
declare const process: { argv: string[] };

import {
  CardVaultClient,
  CardVaultProblem,
  CardVaultTimeoutError,
  isProblem,
  type ProblemCode,
  verifyWebhook,
  type WebhookEvent,
} from '@card-vault/client';

interface Input {
  baseUrl: string;
  apiKey: string;
  orderId: string;
  buyerId: string;
  emptyListingId: string;
  silentUrl: string;
  webhook: { body: string; header: string | string[] | undefined; secret: string };
}
const input = JSON.parse(process.argv[2] ?? '{}') as Input;
const vault = new CardVaultClient({ baseUrl: input.baseUrl, apiKey: input.apiKey, timeoutMs: 5_000 });
const out: Record<string, unknown> = {};

try {
  await vault.placeOrder({ listingId: input.emptyListingId, buyerId: input.buyerId });
  out.outOfStock = 'no problem';
} catch (e) {
  if (isProblem(e, 'out-of-stock')) {
    const code: 'out-of-stock' = e.code;
    const available: number | undefined = e.problem.available;
    out.outOfStock = { code, available, requested: e.problem.requested };
  } else if (e instanceof CardVaultProblem) {
    const code: ProblemCode = e.code;
    // @ts-expect-error 'order-expird' is no problem code of the API
    if (e.code === 'order-expird') out.misspelt = code;
    throw e;
  } else {
    throw e;
  }
}
// @ts-expect-error 'order-expird' is no problem code of the API
isProblem(new Error('not a problem'), 'order-expird');

const revealed = await vault.revealOrder({ orderId: input.orderId }, { buyerId: input.buyerId });
out.codes = revealed.cards.map((card) => card.code);

const trail: string[] = [];
for await (const event of vault.listOrderEventsAll({ orderId: input.orderId }, { limit: 1 })) {
  trail.push(event.type);
}
out.trail = trail;

const hung = new CardVaultClient({ baseUrl: input.silentUrl, apiKey: input.apiKey, timeoutMs: 300, maxRetries: 0 });
try {
  await hung.getOrder({ orderId: input.orderId });
  out.timeout = 'answered';
} catch (e) {
  out.timeout = e instanceof CardVaultTimeoutError ? e.timeoutMs : String(e);
}

function describe(event: WebhookEvent): string {
  switch (event.type) {
    case 'order.paid':
      return 'paid ' + event.data.orderId;
    case 'seller.suspended':
      return 'suspended ' + event.data.sellerId;
    default:
      return event.type;
  }
}
out.webhook = describe(verifyWebhook(input.webhook.body, input.webhook.header, input.webhook.secret));
console.log(JSON.stringify(out));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'DOM'],
    strict: true,
    noUncheckedIndexedAccess: true,
    // No @types/node (see the sample's first line); the package's own declarations are checked
    // too (no skipLibCheck), TypeScript's bundled lib files are not (they are TypeScript's).
    types: [],
    skipDefaultLibCheck: true,
    outDir: 'dist',
  },
  files: ['sample.ts'],
};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'card-vault-client-'));
  await run('npm', ['run', '-s', 'client:build'], { cwd: REPO });
  const packed = await run('npm', ['pack', '--json', '--pack-destination', scratch], {
    cwd: join(REPO, 'client'),
  });
  tarball = join(scratch, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
  const project = join(scratch, 'marketplace');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'marketplace', private: true, type: 'module' }),
  );
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project });
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  await writeFile(join(project, 'sample.ts'), SAMPLE);
  typeCheck = await run(process.execPath, [TSC, '-p', project]).then(
    (r) => ({ ok: true, output: r.stdout }),
    (e: { stdout?: string }) => ({ ok: false, output: e.stdout ?? String(e) }),
  );
  silent = createServer((socket) => void held.push(socket));
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
}, 120_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise<void>((done) => (silent ? silent.close(() => done()) : done()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the packed client', () => {
  it('installs from its tarball with no dependency and nothing of the repository but itself', async () => {
    const project = join(scratch, 'marketplace');
    const installed = JSON.parse(
      await readFile(join(project, 'node_modules', '@card-vault', 'client', 'package.json'), 'utf8'),
    );
    expect(installed).toMatchObject({ name: '@card-vault/client', type: 'module' });
    expect(installed.dependencies).toBeUndefined();
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files).toContain('package/dist/verify-webhook.js');
    expect(files.filter((f) => !f.startsWith('package/dist/'))).toEqual(
      expect.arrayContaining(['package/package.json']),
    );
    expect(files.some((f) => f.includes('shared/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toBe(
      false,
    );
  });

  it('type-checks a marketplace sample under strict (a misspelt problem code does not compile)', () => {
    expect(typeCheck.output).toBe('');
    expect(typeCheck.ok).toBe(true);
  });

  it('runs the sample against the vault: problem guard, reveal, paging, timeout, webhook', async () => {
    expect(typeCheck.ok).toBe(true);
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);
    const empty = await aListing(s);
    const secret = 'whsec_sample';
    const body = JSON.stringify({
      id: 'evt_sample',
      type: 'order.paid',
      created: Math.floor(Date.now() / 1000),
      tenant: 'sample',
      data: { orderId, at: new Date().toISOString() },
    });
    const address = silent.address() as { port: number };
    const input = {
      baseUrl: s.apiUrl,
      apiKey: s.devApiKey,
      orderId,
      buyerId,
      emptyListingId: empty.listingId,
      silentUrl: `http://127.0.0.1:${address.port}`,
      webhook: { body, header: [signWebhook(body, Math.floor(Date.now() / 1000), [secret])], secret },
    };
    const { stdout } = await run(process.execPath, [
      join(scratch, 'marketplace', 'dist', 'sample.js'),
      JSON.stringify(input),
    ]);
    const out = JSON.parse(stdout);
    expect(out.outOfStock).toEqual({ code: 'out-of-stock', available: 0, requested: 1 });
    expect(out.codes).toEqual([normalizeCode(card.code)]);
    expect(out.trail).toEqual(expect.arrayContaining(['order.placed', 'payment.received', 'order.revealed']));
    expect(out.timeout).toBe(300);
    expect(out.webhook).toBe(`paid ${orderId}`);
  });
});
