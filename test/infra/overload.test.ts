import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_SPECS, type FunctionName } from '../../infra/function-specs.js';
import {
  type HttpFunctionName,
  routeThrottle,
  STAGES,
  type StageName,
  stageConfigFrom,
  throttleWithin,
} from '../../infra/stage-config.js';
import { type Synthesized, synth } from './synth.js';

const DEPLOY_DOC = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
type Limits = { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };

describe.each(STAGES)('overload in %s degrades to 429', (stage) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(stage, 'stub');
  });
  afterAll(() => s.cleanup());

  const fnIds = () =>
    Object.fromEntries(
      (['api', 'deposit', 'reveal', 'sweeper'] as const).map((name) => [
        s.stack.getLogicalId(s.stack.functions.all[name].fn.node.defaultChild as CfnFunction),
        name,
      ]),
    ) as Record<string, FunctionName>;

  /** Every route of the deployed API: the function it invokes and the limits API Gateway applies to it. */
  const routes = () => {
    const [stageResource] = Object.values(s.template.findResources('AWS::ApiGatewayV2::Stage'));
    const settings = stageResource?.Properties.RouteSettings as Record<string, Limits>;
    const defaults = stageResource?.Properties.DefaultRouteSettings as Limits;
    const integrations = s.template.findResources('AWS::ApiGatewayV2::Integration');
    return Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
      const key = route.Properties.RouteKey as string;
      // Target: { 'Fn::Join': ['', ['integrations/', { Ref: <integration> }]] }
      const integrationId: string | undefined = route.Properties.Target['Fn::Join'][1][1].Ref;
      const fnId = integrations[integrationId ?? '']?.Properties.IntegrationUri['Fn::GetAtt'][0];
      return {
        key,
        fn: fnIds()[fnId] as HttpFunctionName,
        limits: (key === '$default' ? defaults : settings[key]) as Limits,
      };
    });
  };

  it('throttles every route, $default included, with limits of its own', () => {
    const all = routes();
    expect(all).toHaveLength(14);
    for (const { key, fn, limits } of all) {
      expect(fn, key).toBeDefined();
      expect(limits?.ThrottlingBurstLimit, key).toBeGreaterThanOrEqual(1);
      expect(limits?.ThrottlingRateLimit, key).toBeGreaterThan(0);
    }
  });

  it("holds every function's routes, each at its burst plus rate x timeout, within the function's concurrency", () => {
    const config = s.stack.config;
    for (const fn of ['api', 'deposit', 'reveal'] as const) {
      const timeout = FUNCTION_SPECS[fn].timeoutSeconds;
      const held = routes()
        .filter((route) => route.fn === fn)
        .reduce(
          (sum, { limits }) => sum + limits.ThrottlingBurstLimit + limits.ThrottlingRateLimit * timeout,
          0,
        );
      expect(held, fn).toBeLessThanOrEqual(config.httpConcurrency[fn]);
      // And not far below it: the budget is meant to be used.
      expect(held, fn).toBeGreaterThan(config.httpConcurrency[fn] * 0.9);
    }
  });

  it('reserves that concurrency in prod (api and reveal included), nothing in dev', () => {
    const config = s.stack.config;
    const reserved = Object.fromEntries(
      Object.entries(s.template.findResources('AWS::Lambda::Function')).map(([id, fn]) => [
        fnIds()[id] ?? id,
        fn.Properties.ReservedConcurrentExecutions,
      ]),
    );
    // Reveal also runs the recheck job (Scheduler, one run at a time): one execution more than its routes hold.
    const scheduled: Record<HttpFunctionName, number> = { api: 0, deposit: 0, reveal: 1 };
    for (const fn of ['api', 'deposit', 'reveal'] as const) {
      expect(reserved[fn], fn).toBe(
        stage === 'prod' ? config.httpConcurrency[fn] + scheduled[fn] : undefined,
      );
    }
    if (stage === 'prod') {
      expect(reserved.sweeper).toBe(1);
      // The figure docs/deploy.md "Prerequisites" asks for: every reservation plus the 100 AWS keeps unreserved.
      const total = Object.values(config.reservedConcurrency).reduce((a, b) => a + (b ?? 0), 0);
      expect(DEPLOY_DOC).toContain(
        `a Lambda concurrency quota of at least ${(total + 100).toLocaleString('en-US')}`,
      );
    }
  });
});

describe("docs/deploy.md's throttle figures", () => {
  it('are the derived ones, in both stages', () => {
    const classes = ['default', 'links', 'pages', 'reveal', 'deposit'] as const;
    const cells = (stage: StageName) => {
      const config = stageConfigFrom(new App({ context: { stage } }).node);
      return classes
        .map((c) => routeThrottle(config, c))
        .map(({ rateLimit, burstLimit }) => `${rateLimit}/s burst ${burstLimit}`)
        .join('; ');
    };
    expect(DEPLOY_DOC).toContain(`| ${cells('dev')} | ${cells('prod')} |`);
  });
});

describe('throttleWithin', () => {
  it('keeps burst + rate x timeout within the concurrency, for any budget and timeout, and refuses a budget of one', () => {
    expect(() => throttleWithin(1, 10)).toThrow(/at least 2/);
    for (let concurrency = 2; concurrency <= 500; concurrency++) {
      for (const timeout of [1, 3, 10, 20, 29, 60]) {
        const { burstLimit, rateLimit } = throttleWithin(concurrency, timeout);
        expect(burstLimit + rateLimit * timeout).toBeLessThanOrEqual(concurrency);
        expect(burstLimit).toBeGreaterThanOrEqual(1);
        expect(rateLimit).toBeGreaterThan(0);
      }
    }
  });
});
