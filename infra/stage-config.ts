import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { FUNCTION_SPECS, type FunctionName } from './function-specs.js';

export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export interface Throttle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Bucket size for short spikes. */
  readonly burstLimit: number;
}

/** The functions API Gateway invokes. */
export type HttpFunctionName = Exclude<FunctionName, 'sweeper'>;

/**
 * Routes throttled alike, and the function that serves them: `default` is the `$default` route
 * (the api function's whole API), `links` the link API's named routes, `pages` the hosted pages'
 * GETs, `deposit` and `reveal` the routes of the functions with KMS rights (API and page POSTs).
 */
export const ROUTE_CLASS_FUNCTION = {
  default: 'api',
  links: 'api',
  pages: 'api',
  deposit: 'deposit',
  reveal: 'reveal',
} as const satisfies Record<string, HttpFunctionName>;
export type RouteClass = keyof typeof ROUTE_CLASS_FUNCTION;

/** Everything that differs between stages. Anything not here is identical in dev and prod. */
export interface StageConfig {
  readonly stage: StageName;
  readonly logLevel: 'debug' | 'info';
  readonly logRetention: RetentionDays;
  /** Log groups only: data (table, keys) is retained in every stage. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * The concurrent executions each HTTP function may hold: its reserved concurrency in prod, and
   * what every throttle of its routes is derived from ({@link routeThrottle}), so that overload
   * is answered 429 by API Gateway before Lambda has to refuse an invocation (a 503).
   */
  readonly httpConcurrency: Readonly<Record<HttpFunctionName, number>>;
  /** Each route's share of its function's {@link httpConcurrency} (executions, per route of the class). */
  readonly routeConcurrency: Readonly<Record<RouteClass, number>>;
  /** Undefined: no reservation (see `reservedConcurrency` in docs/deploy.md). */
  readonly reservedConcurrency: Readonly<Partial<Record<FunctionName, number>>>;
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

/**
 * Prod reserves what its routes are throttled to (632 in all, which leaves the 100 executions AWS
 * keeps unreserved and the webhook functions' room in a 1,000 quota):
 * - api: the whole API behind `$default` (300) plus the link API (4 x 10) and the page GETs (2 x 30);
 * - reveal: 4 routes x 50, plus 1 for its recheck job (one run a minute, 20 s at most);
 * - deposit: 3 routes x 10 (each deposit may carry 500 cards, two KMS calls each: 30 at a time
 *   bounds the write burst on the table and the KMS request rate);
 * - sweeper: one sweep at a time; a second concurrent sweep would only contend on the same items.
 */
const PROD_HTTP_CONCURRENCY = { api: 400, reveal: 200, deposit: 30 } as const;

const BASE: Record<StageName, Omit<StageConfig, 'stage' | 'alarmEmail'>> = {
  dev: {
    logLevel: 'debug',
    logRetention: RetentionDays.TWO_WEEKS,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    // Fresh accounts often have a Lambda concurrency quota of 10, and any reservation must leave
    // 100 unreserved: dev deploys there, reserving nothing. Its throttles are derived from these
    // budgets all the same, out of the account's unreserved pool.
    httpConcurrency: { api: 60, reveal: 20, deposit: 9 },
    routeConcurrency: { default: 40, links: 3, pages: 4, reveal: 5, deposit: 3 },
    // The sweeper's timeout (< its 1-minute period) and the conditional writes already make
    // overlapping sweeps harmless.
    reservedConcurrency: {},
    // Dev is where dead test codes are deposited on purpose: only a flood should page.
    refundAlarmPercent: 50,
    escalationDeadlineSeconds: 7 * 86_400,
  },
  prod: {
    logLevel: 'info',
    logRetention: RetentionDays.THREE_MONTHS,
    logRemovalPolicy: RemovalPolicy.RETAIN,
    httpConcurrency: PROD_HTTP_CONCURRENCY,
    // A page view is two or three GetItems; a buyer opens it a few times, a preview bot once.
    routeConcurrency: { default: 300, links: 10, pages: 30, reveal: 50, deposit: 10 },
    reservedConcurrency: { ...PROD_HTTP_CONCURRENCY, reveal: PROD_HTTP_CONCURRENCY.reveal + 1, sweeper: 1 },
    refundAlarmPercent: 5,
    escalationDeadlineSeconds: 7 * 86_400,
  },
};

/**
 * A route's limits, derived from the executions it may hold (`concurrency`) and its function's
 * timeout: a burst of a quarter of them, and a steady rate that, should every request run to the
 * timeout, holds the rest (Little's law: executions in flight = rate x duration). So at most
 * `burst + rate x timeout <= concurrency` requests of the route run at once, whatever the latency:
 * beyond that API Gateway answers 429 instead of Lambda's throttle answering 503.
 */
export function throttleWithin(concurrency: number, timeoutSeconds: number): Throttle {
  // One execution is all burst: a rate of 0 would never refill the bucket, and the route would close.
  if (concurrency < 2) throw new Error(`a route needs at least 2 executions, not ${concurrency}`);
  const burstLimit = Math.max(1, Math.ceil(concurrency / 4));
  // Rounded down to API Gateway's precision: a rate a hair over the budget would break the bound.
  const rateLimit = Math.floor((100 * (concurrency - burstLimit)) / timeoutSeconds) / 100;
  return { rateLimit, burstLimit };
}

/** The limits of each route of `routeClass` in this stage ({@link throttleWithin}). */
export function routeThrottle(
  config: Pick<StageConfig, 'routeConcurrency'>,
  routeClass: RouteClass,
): Throttle {
  const fn = ROUTE_CLASS_FUNCTION[routeClass];
  return throttleWithin(config.routeConcurrency[routeClass], FUNCTION_SPECS[fn].timeoutSeconds);
}

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
