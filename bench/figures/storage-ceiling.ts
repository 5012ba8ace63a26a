import type { BenchStack } from '../support/bench-stack.js';
import { runPool } from '../support/stats.js';
import { createStorageProbe } from '../support/storage-probe.js';

/**
 * Bare calls per second of each DynamoDB command, on the same DynamoDB Local, at `concurrency`,
 * and the Node CPU (ms) this process spends per bare call (the SDK's share of a sale's floor).
 */
export async function measureCommandRates(
  b: BenchStack,
  commands: readonly string[],
  options: { concurrency: number; ops: number; transactItems: number },
): Promise<{ rates: Record<string, number>; cpuMsPerCall: Record<string, number> }> {
  const probe = createStorageProbe(b.clients.doc, b.stack.tableName, {
    transactItems: options.transactItems,
  });
  await probe.seed(options.ops);
  const rates: Record<string, number> = {};
  const cpuMsPerCall: Record<string, number> = {};
  for (const command of commands) {
    const call = probe.call(command);
    if (!call) throw new Error(`the storage probe has no ${command}; add it to storage-probe.ts`);
    await runPool(Math.min(20, options.ops), options.concurrency, call); // warm the path
    const cpu = process.cpuUsage();
    const { wallMs } = await runPool(options.ops, options.concurrency, call);
    const used = process.cpuUsage(cpu);
    rates[command] = options.ops / (wallMs / 1000);
    cpuMsPerCall[command] = (used.user + used.system) / 1000 / options.ops;
  }
  return { rates, cpuMsPerCall };
}

/**
 * Sales per second the storage alone would allow: each command's bare rate weighted by how many
 * of it a sale sends, i.e. 1 / sum(calls per sale / calls per second).
 */
export function weightedCeiling(callsPerSale: Record<string, number>, rates: Record<string, number>): number {
  let secondsPerSale = 0;
  for (const [command, calls] of Object.entries(callsPerSale)) {
    const rate = rates[command];
    if (rate === undefined || !(rate > 0)) throw new Error(`no bare rate for ${command}`);
    secondsPerSale += calls / rate;
  }
  return secondsPerSale > 0 ? 1 / secondsPerSale : Number.POSITIVE_INFINITY;
}
