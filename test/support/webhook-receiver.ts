import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly body: string;
  readonly signature: string | undefined;
}

/**
 * What a path answers: a status per call (the last repeats), `hang` to never answer, or `trickle`:
 * 200 at once, then a byte of body every 200 ms until the caller hangs up.
 */
export type Behaviour = readonly number[] | 'hang' | 'trickle';

/**
 * A real HTTP receiver on 127.0.0.1 for the end-to-end webhook tests: each path behaves as told
 * and every request's raw body and signature header are kept.
 */
export async function startReceiver(): Promise<{
  url: (path: string) => string;
  behave: (path: string, behaviour: Behaviour) => void;
  received: (path?: string) => Received[];
  close: () => Promise<void>;
}> {
  const behaviours = new Map<string, Behaviour>();
  const calls = new Map<string, number>();
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      got.push({
        path,
        body: Buffer.concat(chunks).toString('utf8'),
        signature: req.headers['card-vault-signature'] as string | undefined,
      });
      const behaviour = behaviours.get(path) ?? [200];
      if (behaviour === 'hang') return;
      if (behaviour === 'trickle') {
        res.writeHead(200);
        const drip = setInterval(() => res.write(' '), 200);
        res.on('close', () => clearInterval(drip));
        return;
      }
      const n = calls.get(path) ?? 0;
      calls.set(path, n + 1);
      res.writeHead(behaviour[Math.min(n, behaviour.length - 1)] ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${base}${path}`,
    behave: (path, behaviour) => void behaviours.set(path, behaviour),
    received: (path) => got.filter((r) => path === undefined || r.path === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; then fails naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
