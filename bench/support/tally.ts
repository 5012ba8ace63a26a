import type { MeteredCall } from '../../shared/adapters/dynamodb/capacity-meter.js';

export interface CommandTally {
  calls: number;
  failed: number;
  readUnits: number;
  writeUnits: number;
  items: number;
}

/** What one phase of the bench cost: DynamoDB calls and capacity by command, cipher calls by kind. */
export interface TallySnapshot {
  readonly dynamo: Readonly<Record<string, CommandTally>>;
  readonly cipher: Readonly<Record<string, number>>;
}

/** Counts what the local stack's observers report; `take()` returns the counts and starts afresh. */
export class Tally {
  private dynamo: Record<string, CommandTally> = {};
  private cipher: Record<string, number> = {};

  readonly seeDynamo = (call: MeteredCall): void => {
    const t = this.dynamo[call.command] ?? { calls: 0, failed: 0, readUnits: 0, writeUnits: 0, items: 0 };
    this.dynamo[call.command] = t;
    t.calls += 1;
    t.failed += call.ok ? 0 : 1;
    t.readUnits += call.readUnits;
    t.writeUnits += call.writeUnits;
    t.items += call.items;
  };

  readonly seeCipher = (call: string): void => {
    this.cipher[call] = (this.cipher[call] ?? 0) + 1;
  };

  take(): TallySnapshot {
    const snapshot = { dynamo: this.dynamo, cipher: this.cipher };
    this.dynamo = {};
    this.cipher = {};
    return snapshot;
  }
}

/** A snapshot divided by `per` (sales, reveals): calls, capacity and cipher calls per unit of work. */
export function perUnit(snapshot: TallySnapshot, per: number) {
  const calls: Record<string, number> = {};
  let readUnits = 0;
  let writeUnits = 0;
  for (const [command, t] of Object.entries(snapshot.dynamo)) {
    calls[command] = t.calls / per;
    readUnits += t.readUnits / per;
    writeUnits += t.writeUnits / per;
  }
  const cipher: Record<string, number> = {};
  for (const [kind, n] of Object.entries(snapshot.cipher)) cipher[kind] = n / per;
  const tx = snapshot.dynamo.TransactWriteItems;
  return {
    calls,
    readUnits,
    writeUnits,
    cipher,
    cipherCalls: Object.values(cipher).reduce((a, b) => a + b, 0),
    itemsPerTransaction: tx && tx.calls > 0 ? tx.items / tx.calls : 0,
  };
}

export type PerUnit = ReturnType<typeof perUnit>;
