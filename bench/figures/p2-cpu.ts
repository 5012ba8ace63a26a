import type { BenchConfig } from '../../shared/config/tool-config.js';
import type { BenchStack } from '../support/bench-stack.js';
import { bareCipherCpu, bareHttpCpu } from './cpu-floor.js';
import { type Figure, figure, round } from './figure.js';
import type { SaleRun } from './p2-throughput.js';

/**
 * P2 CPU: Node CPU per sale (the vault's process and the clients') against the CPU of the same
 * sale's bare calls measured in this run: its DynamoDB calls by command (`storageCpuMsPerCall`,
 * from the storage ceiling's probe), its HTTP round trips (API requests and the issuer's checks)
 * as bare `node:http` + `fetch` exchanges, and its cipher operations as bare local-cipher calls.
 * Anything above the floor is the vault's own work: routing, validation, mapping, logging.
 */
export async function p2Cpu(
  b: BenchStack,
  run: SaleRun,
  storageCpuMsPerCall: Record<string, number>,
  cfg: Pick<BenchConfig, 'concurrency' | 'probeOps'>,
): Promise<Figure> {
  const httpMs = await bareHttpCpu(cfg.probeOps, cfg.concurrency);
  const cipherMs = await bareCipherCpu(b, cfg.probeOps);
  const parts: Record<string, number> = {};
  for (const [command, calls] of Object.entries(run.perSale.calls)) {
    const each = storageCpuMsPerCall[command];
    if (each === undefined) throw new Error(`no bare CPU for ${command}`);
    parts[`${command} x${round(calls)}`] = calls * each;
  }
  const roundTrips = run.apiRequestsPerSale + run.outboundRequestsPerSale;
  parts[`HTTP round trip x${round(roundTrips)}`] = roundTrips * httpMs;
  for (const [kind, calls] of Object.entries(run.perSale.cipher)) {
    const each = cipherMs[kind];
    if (each === undefined) throw new Error(`no bare CPU for the cipher's ${kind}`);
    parts[`cipher ${kind} x${round(calls)}`] = calls * each;
  }
  const floor = Object.values(parts).reduce((a, c) => a + c, 0);
  const top = run.costs.slice(0, 5);
  return figure({
    id: 'P2c',
    title: 'Node CPU per full sale',
    value: run.cpuMsPerSale,
    bound: floor,
    unit: 'ms',
    boundKind: 'floor',
    boundLabel: `CPU of its bare calls: ${Object.keys(parts).join(', ')}`,
    goal: { op: '<=', ratio: 1.3 },
    details: {
      'vault process CPU ms per sale': round(run.vaultCpuMsPerSale),
      'client process CPU ms per sale': round(run.cpuMsPerSale - run.vaultCpuMsPerSale),
      ...Object.fromEntries(Object.entries(parts).map(([k, ms]) => [`floor: ${k} (ms)`, round(ms)])),
      ...Object.fromEntries(
        top.map((c, i) => [`top ${i + 1} in the vault process`, `${c.what} ${(c.share * 100).toFixed(1)} %`]),
      ),
    },
  });
}
