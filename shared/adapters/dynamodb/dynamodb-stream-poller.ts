import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamRecordLike } from './stream-trail-lines.js';

export interface StreamPollerOptions {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  readonly intervalMs: number;
  /** One shard's batch, in stream order; a throw keeps the batch to be read again (as Lambda retries it). */
  readonly onRecords: (records: readonly StreamRecordLike[]) => Promise<void>;
  readonly onError: (error: unknown) => void;
}

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
/** New shards are looked for every this many polls (DynamoDB rolls shards over every few hours). */
const DESCRIBE_EVERY = 20;

/**
 * Reads the table's stream the way the Lambda event source mapping does, for `npm start` and the
 * end-to-end tests: shards open at start are read from LATEST (what happened before is not
 * replayed to endpoints registered since), shards that appear later from TRIM_HORIZON, one batch
 * at a time per shard, a batch handed on until its handler succeeds.
 */
export class DynamoStreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string>();
  private readonly seen = new Set<string>();
  private streamArn: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polls = 0;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: StreamPollerOptions) {
    this.streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, ...LOCAL });
  }

  /** Resolves once the open shards have iterators: writes from then on are seen. */
  async start(): Promise<void> {
    const table = await this.options.client.send(
      new DescribeTableCommand({ TableName: this.options.tableName }),
    );
    this.streamArn = table.Table?.LatestStreamArn;
    if (!this.streamArn) throw new Error(`table ${this.options.tableName} has no stream`);
    await this.discover('LATEST');
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.streams.destroy();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch(this.options.onError)
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async discover(type: ShardIteratorType): Promise<void> {
    let start: string | undefined;
    do {
      const described = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of described.StreamDescription?.Shards ?? []) {
        const id = shard.ShardId;
        if (!id || this.seen.has(id)) continue;
        const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
        this.seen.add(id);
        // A shard closed before we started holds only history.
        if (closed && type === 'LATEST') continue;
        const iterator = await this.streams.send(
          new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: id, ShardIteratorType: type }),
        );
        if (iterator.ShardIterator) this.iterators.set(id, iterator.ShardIterator);
      }
      start = described.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  private async poll(): Promise<void> {
    this.polls += 1;
    if (this.iterators.size === 0 || this.polls % DESCRIBE_EVERY === 0) await this.discover('TRIM_HORIZON');
    for (const [shard, iterator] of [...this.iterators]) {
      if (this.stopped) return;
      const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
      const records = page.Records ?? [];
      if (records.length > 0) await this.options.onRecords(records as StreamRecordLike[]);
      if (page.NextShardIterator) this.iterators.set(shard, page.NextShardIterator);
      else {
        this.iterators.delete(shard); // closed: its child shards come from the next discovery
        await this.discover('TRIM_HORIZON');
      }
    }
  }
}
