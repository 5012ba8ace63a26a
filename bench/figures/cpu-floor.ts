import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import type { BenchStack } from '../support/bench-stack.js';
import { runPool } from '../support/stats.js';

/** Node CPU (user + system, ms) this process spends per call of `task`, run `ops` times at `concurrency`. */
export async function cpuPerCall(
  ops: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<number> {
  await runPool(Math.min(20, ops), concurrency, task); // warm the path
  const before = process.cpuUsage();
  await runPool(ops, concurrency, task);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / ops;
}

/**
 * One bare HTTP round trip, both ends in this process: `fetch` POSTs a small JSON body to a bare
 * `node:http` server that answers a small JSON body. No framework, no parsing beyond the body.
 */
export async function bareHttpCpu(ops: number, concurrency: number): Promise<number> {
  const answer = JSON.stringify({ orderId: 'ord_01JEXAMPLE0000000000000000', state: 'paid', n: 1 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString() || '{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const body = JSON.stringify({ listingId: 'lst_01JEXAMPLE0000000000000000', buyerId: 'buyer-1' });
  try {
    return await cpuPerCall(ops, concurrency, async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
        body,
      });
      await response.json();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The local cipher's bare operations: CPU ms per encrypt, decrypt and fingerprint. */
export async function bareCipherCpu(b: BenchStack, ops: number): Promise<Record<string, number>> {
  const cipher = await createLocalCodeCipher({ keyFile: b.keyFile });
  const context = { tenantId: 'bench', cardId: 'bench-card' };
  const code = 'BENCH-CODE-0000-1111';
  const sealed = await cipher.encrypt({ code }, context);
  return {
    encrypt: await cpuPerCall(ops, 1, () => cipher.encrypt({ code }, context)),
    decrypt: await cpuPerCall(ops, 1, () => cipher.decrypt(sealed, context)),
    fingerprint: await cpuPerCall(ops, 1, () => cipher.fingerprint(code)),
  };
}
