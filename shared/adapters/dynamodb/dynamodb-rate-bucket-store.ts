import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  admitLimitMs,
  type BucketState,
  bucketState,
  intervalMs,
  type RateBucket,
  type RatePolicy,
} from '../../domain/rate-limit.js';
import type { RateBucketStore } from '../../ports/rate-bucket-store.js';
import { anyOf, expression, lessThan, notExists } from './expression.js';
import { keys } from './keys.js';
import type { TableContext } from './table-context.js';

/** A full bucket is the same as none: the item may go (TTL) once its `tat` is this far behind. */
const EXPIRE_AFTER_SECONDS = 60;

type Attempt = 'behind' | 'ahead';

/**
 * GCRA over one item per bucket. Two cases, each one conditional UpdateItem, so no request reads
 * first and no two requests can both take the last token:
 * - `behind`: the bucket is full (`tat` missing or past): `tat = now + interval`.
 * - `ahead`: tokens are in use: `tat = tat + interval`, only while `tat <= now + (burst-1) x interval`.
 * The case is guessed from the last `tat` this process saw; a wrong guess fails its condition and
 * returns the item (ALL_OLD), which settles the case: a second write, or a refusal with no write.
 */
/** Behind, ahead, and once more for each time a slow write's clock is brought up to date. */
const MAX_TRIES = 5;

export class DynamoRateBucketStore implements RateBucketStore {
  /** The last `tat` seen per bucket: only a guess of which write to send, never trusted for a decision. */
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly ctx: TableContext) {}

  async take(bucket: RateBucket, policy: RatePolicy, now: Date): Promise<BucketState> {
    const key = bucketKey(bucket);
    const setOut = performance.now();
    let nowMs = now.getTime();
    const seen = this.lastSeen.get(key.pk);
    let attempt: Attempt = seen !== undefined && seen > nowMs ? 'ahead' : 'behind';
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const outcome = await this.write(key, bucket, policy, nowMs, attempt);
      if (outcome.written) {
        this.remember(key.pk, outcome.tatMs);
        return bucketState(bucket.kind, policy, outcome.tatMs, nowMs, true);
      }
      const tat = outcome.tatMs;
      if (tat !== undefined) this.remember(key.pk, tat);
      if (tat !== undefined && tat > admitLimitMs(policy, nowMs)) {
        // Judge a refusal at the time it is now, not when the request set out: a write that sat in
        // a queue (a table just restarted, a loaded host) longer than the bucket's window finds
        // `tat` moved past its stale limit by requests that set out after it, and would be refused
        // however far below the limit. Only here does `nowMs` move: with it fixed, a lost race
        // settles in two more tries (`tat` only grows, so "behind" then "ahead" must pass).
        const current = now.getTime() + (performance.now() - setOut);
        if (tat > admitLimitMs(policy, current)) return bucketState(bucket.kind, policy, tat, current, false);
        nowMs = current;
      }
      // The other case holds now (another process moved `tat` across `now` in between).
      attempt = tat === undefined || tat < nowMs ? 'behind' : 'ahead';
    }
    // Lost races every time: the bucket is contended this instant; refusing is the strict answer.
    return bucketState(bucket.kind, policy, admitLimitMs(policy, nowMs) + intervalMs(policy), nowMs, false);
  }

  private async write(
    key: { pk: string; sk: string },
    bucket: RateBucket,
    policy: RatePolicy,
    nowMs: number,
    attempt: Attempt,
  ): Promise<{ written: true; tatMs: number } | { written: false; tatMs: number | undefined }> {
    const interval = intervalMs(policy);
    const update = expression()
      .set('entity', 'RateBucket')
      .set('tenantId', bucket.tenantId)
      .set(
        'ttl',
        Math.ceil(nowMs / 1000) + Math.ceil((policy.burst * interval) / 1000) + EXPIRE_AFTER_SECONDS,
      );
    if (attempt === 'behind') {
      update.set('tat', nowMs + interval).when(anyOf(notExists('tat'), lessThan('tat', nowMs)));
    } else {
      update
        .add('tat', interval)
        .when(
          { kind: 'compare', path: 'tat', op: '>=', value: nowMs },
          { kind: 'compare', path: 'tat', op: '<=', value: admitLimitMs(policy, nowMs) },
        );
    }
    try {
      const result = await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: key,
          ...update.buildUpdate(),
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true, tatMs: Number(result.Attributes?.tat) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return { written: false, tatMs: numberOf(error.Item?.tat) };
      }
      throw error;
    }
  }

  private remember(pk: string, tatMs: number) {
    // Bounded: a guess per bucket is all it holds, and a process sees few tenants and links.
    if (this.lastSeen.size >= 10_000) this.lastSeen.clear();
    this.lastSeen.set(pk, tatMs);
  }
}

function bucketKey(bucket: RateBucket) {
  return bucket.kind === 'link'
    ? keys.linkRateBucket(bucket.tenantId, bucket.linkId)
    : keys.tenantRateBucket(bucket.tenantId);
}

/** A ConditionalCheckFailedException's item is not unmarshalled by the document client. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'N' in value) return Number((value as { N: string }).N);
  return undefined;
}
