import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { apiClient } from './bench-stack.js';
import { fullSale } from './sale.js';
import { runPool } from './stats.js';

/** What the parent sends the client process: where the API is, and the codes to sell. */
interface SaleOrder {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly codes: readonly string[];
  readonly concurrency: number;
}

/** What the client process answers once every sale is done. */
export interface ClientRun {
  readonly completed: number;
  readonly wallMs: number;
  readonly apiRequests: number;
  /** The client process's own Node CPU over the sales (user + system). */
  readonly cpuMs: number;
}

/**
 * Full sales of `codes` by `concurrency` clients in a Node process of their own, so the vault's
 * process spends its CPU on the vault alone (as in AWS, where the marketplace is elsewhere).
 * `onStart` runs once the client process is up, just before its first request.
 */
export function salesInOwnProcess(order: SaleOrder, onStart: () => void): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: ClientRun | undefined;
    child.on('message', (m: { ready?: true; done?: ClientRun; error?: string }) => {
      if (m.ready) {
        onStart();
        child.send(order);
      } else if (m.done) result = m.done;
      else if (m.error) reject(new Error(`sale clients: ${m.error}`));
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the sale client process exited with ${code}`)),
    );
  });
}

async function serve(order: SaleOrder): Promise<ClientRun> {
  const call = apiClient(order.apiUrl, order.apiKey);
  let apiRequests = 0;
  const b = {
    api: <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      apiRequests += 1;
      return call<T>(method, path, body, headers);
    },
  };
  const cpu = process.cpuUsage();
  let completed = 0;
  const { wallMs } = await runPool(order.codes.length, order.concurrency, async (i) => {
    if (await fullSale(b, order.codes[i] ?? '')) completed += 1;
  });
  const used = process.cpuUsage(cpu);
  return { completed, wallMs, apiRequests, cpuMs: (used.user + used.system) / 1000 };
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  process.once('message', (order: SaleOrder) => {
    serve(order).then(
      (done) => send({ done }, () => process.exit(0)),
      (error: unknown) =>
        send({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
    );
  });
  send({ ready: true });
}
