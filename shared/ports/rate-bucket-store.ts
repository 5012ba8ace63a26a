import type { BucketState, RateBucket, RatePolicy } from '../domain/rate-limit.js';

/** Token buckets shared by every process of the deployment (see `domain/rate-limit.ts`). */
export interface RateBucketStore {
  /**
   * Takes one token from `bucket` under `policy` at `now`, or refuses and takes nothing. Atomic
   * across processes: two callers never both get the last token.
   */
  take(bucket: RateBucket, policy: RatePolicy, now: Date): Promise<BucketState>;
}
