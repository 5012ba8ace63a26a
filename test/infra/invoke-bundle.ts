import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RESULT = '@@card-vault-result@@';

/**
 * Imports a bundled handler in a fresh Node process, as a Lambda cold start does, invokes it
 * once with `event` and returns what it returned (or threw). Logs go to the process's stdout.
 */
export function invokeBundle(
  dir: string,
  event: unknown,
  env: Record<string, string>,
  options: InvokeOptions = {},
): { result?: unknown; error?: string; stderr: string } {
  const [outcome] = invokeBundleEach(dir, [event], env, options);
  return outcome ?? { error: 'no result', stderr: '' };
}

export interface InvokeOptions {
  /** What the context's getRemainingTimeInMillis answers (default 10 s). */
  readonly remainingMs?: number;
}

/**
 * As {@link invokeBundle}, with one cold start for all of `events`, invoked one after another
 * (a warm container's invocations): one outcome per event, in order.
 */
export function invokeBundleEach(
  dir: string,
  events: readonly unknown[],
  env: Record<string, string>,
  options: InvokeOptions = {},
): Array<{ result?: unknown; error?: string; stderr: string }> {
  const url = pathToFileURL(join(dir, 'index.mjs')).href;
  const script = `
    const { handler } = await import(${JSON.stringify(url)});
    const events = JSON.parse(await new Response(process.stdin).text());
    const context = { awsRequestId: 'req-1', functionName: 'test', getRemainingTimeInMillis: () => ${options.remainingMs ?? 10_000} };
    const outcomes = [];
    for (const event of events) {
      try {
        outcomes.push({ result: await handler(event, context) });
      } catch (e) {
        outcomes.push({ error: String(e) });
      }
    }
    process.stdout.write('\\n${RESULT}' + JSON.stringify(outcomes));`;
  const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
    input: JSON.stringify(events),
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const marker = run.stdout.lastIndexOf(RESULT);
  if (marker < 0)
    return events.map(() => ({ error: `no result (status ${run.status})`, stderr: run.stderr }));
  const outcomes = JSON.parse(run.stdout.slice(marker + RESULT.length)) as Array<{
    result?: unknown;
    error?: string;
  }>;
  return outcomes.map((outcome) => ({ ...outcome, stderr: run.stderr }));
}

/**
 * An API Gateway HTTP API (payload 2.0) event, as the `$default` stage sends it. `body` is sent
 * as JSON (with its Content-Type); `raw` as is, with only the headers given.
 */
export function httpApiEvent(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; raw?: string; query?: string } = {},
) {
  const headers = {
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'vitest',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-proto': 'https',
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const body = options.body === undefined ? options.raw : JSON.stringify(options.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers,
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: headers.host,
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:15:00:00 +0000',
      timeEpoch: 1_795_878_000_000,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/** What the schedule sends the sweeper (infra/constructs/sweeper-schedule.ts sets this input). */
export function scheduledEvent(time: string) {
  return { source: 'card-vault.sweeper', time, executionId: 'exec-1' };
}
