import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export interface Throttle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Bucket size for short spikes. */
  readonly burstLimit: number;
}

/** Everything that differs between stages. Anything not here is identical in dev and prod. */
export interface StageConfig {
  readonly stage: StageName;
  readonly logLevel: 'debug' | 'info';
  readonly logRetention: RetentionDays;
  /** Log groups only: data (table, keys) is retained in every stage. */
  readonly logRemovalPolicy: RemovalPolicy;
  readonly apiThrottle: Throttle;
  /**
   * Per-route limits for the expensive routes (each deposit may carry 500 cards) and for the
   * hosted pages' GETs, which anyone holding a link (or a bot) may send without an API key.
   */
  readonly routeThrottle: { readonly deposit: Throttle; readonly reveal: Throttle; readonly pages: Throttle };
  /** Undefined: no reservation (see `reservedConcurrency` in README "Deploy"). */
  readonly reservedConcurrency: { readonly deposit?: number; readonly sweeper?: number };
  /** Business alarms: refunds as a share of reveals (%, per hour) worth an operator's look. */
  readonly refundAlarmPercent: number;
  /**
   * The escalation deadline the functions apply (ESCALATION_DEADLINE_SECONDS, default 7 days):
   * an escalation older than half of it raises an alarm. A test holds it to the functions' default.
   */
  readonly escalationDeadlineSeconds: number;
  /** Optional e-mail subscribed to the alarm topic (`-c alarmEmail=ops@example.com`). */
  readonly alarmEmail?: string;
}

const BASE: Record<StageName, Omit<StageConfig, 'stage' | 'alarmEmail'>> = {
  dev: {
    logLevel: 'debug',
    logRetention: RetentionDays.TWO_WEEKS,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    routeThrottle: {
      deposit: { rateLimit: 2, burstLimit: 5 },
      reveal: { rateLimit: 10, burstLimit: 20 },
      pages: { rateLimit: 10, burstLimit: 20 },
    },
    // Fresh accounts often have a Lambda concurrency quota of 10, and any reservation must leave
    // 100 unreserved: dev deploys there. The sweeper's timeout (< its 1-minute period) and the
    // conditional writes already make overlapping sweeps harmless.
    reservedConcurrency: {},
    // Dev is where dead test codes are deposited on purpose: only a flood should page.
    refundAlarmPercent: 50,
    escalationDeadlineSeconds: 7 * 86_400,
  },
  prod: {
    logLevel: 'info',
    logRetention: RetentionDays.THREE_MONTHS,
    logRemovalPolicy: RemovalPolicy.RETAIN,
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    routeThrottle: {
      deposit: { rateLimit: 5, burstLimit: 10 },
      reveal: { rateLimit: 50, burstLimit: 100 },
      // A page view is two or three GetItems; a buyer opens it a few times, a preview bot once.
      pages: { rateLimit: 50, burstLimit: 100 },
    },
    // deposit: each invocation may write 500 cards (2 items each, in transactions) and call KMS
    // twice per card; 10 at a time bounds the write burst on the table and the KMS request rate.
    // sweeper: one sweep at a time; a second concurrent sweep would only contend on the same items.
    reservedConcurrency: { deposit: 10, sweeper: 1 },
    refundAlarmPercent: 5,
    escalationDeadlineSeconds: 7 * 86_400,
  },
};

function isStage(value: unknown): value is StageName {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Reads `-c stage=dev|prod` (default dev), `-c reservedConcurrency=false` and `-c alarmEmail=...`. */
export function stageConfigFrom(node: Node): StageConfig {
  const stage = node.tryGetContext('stage') ?? 'dev';
  if (!isStage(stage)) {
    throw new Error(`Unknown stage "${String(stage)}": use -c stage=${STAGES.join('|')}`);
  }
  const base = BASE[stage];
  const reserve = String(node.tryGetContext('reservedConcurrency') ?? 'true') !== 'false';
  const alarmEmail: unknown = node.tryGetContext('alarmEmail');
  return {
    stage,
    ...base,
    reservedConcurrency: reserve ? base.reservedConcurrency : {},
    ...(typeof alarmEmail === 'string' && alarmEmail !== '' ? { alarmEmail } : {}),
  };
}
