import { Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RouteClass, routeThrottle, type StageConfig } from '../stage-config.js';
import type { VaultFunctions } from './vault-functions.js';

/**
 * Routes named in API Gateway; everything else goes to `$default` (the api function).
 * test/infra/bundling.test.ts checks this table against the routes each function's own app
 * serves, so a route can neither 404 in AWS nor land on the wrong privilege.
 */
export interface VaultRoute {
  readonly fn: 'api' | 'deposit' | 'reveal';
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /**
   * Its limits (stage-config.ts `routeThrottle`): each route holds at most its class's share of
   * its function's concurrency. `default` is `$default`'s alone.
   */
  readonly throttle: Exclude<RouteClass, 'default'>;
}

/** A route served by a function with KMS rights. */
export type PrivilegedRoute = VaultRoute & { readonly fn: 'deposit' | 'reveal' };

export const VAULT_ROUTES: readonly VaultRoute[] = [
  { fn: 'deposit', method: 'POST', path: '/v1/listings/{id}/cards', throttle: 'deposit' },
  // functions/deposit.ts serves withdrawal beside deposit: throttled alike, or a burst of
  // withdrawals would take the deposit function's reserved concurrency.
  { fn: 'deposit', method: 'DELETE', path: '/v1/listings/{id}/cards/{cardId}', throttle: 'deposit' },
  { fn: 'reveal', method: 'POST', path: '/v1/orders/{id}/reveal', throttle: 'reveal' },
  { fn: 'reveal', method: 'POST', path: '/v1/orders/{id}/reports', throttle: 'reveal' },
  // The link API (issue 10): the api function writes and revokes links and never sees a code.
  // Path parameters keep the names of their siblings' ({id}): one name per position.
  { fn: 'api', method: 'POST', path: '/v1/orders/{id}/reveal-links', throttle: 'links' },
  { fn: 'api', method: 'POST', path: '/v1/listings/{id}/deposit-links', throttle: 'links' },
  { fn: 'api', method: 'GET', path: '/v1/links/{id}', throttle: 'links' },
  { fn: 'api', method: 'DELETE', path: '/v1/links/{id}', throttle: 'links' },
  // The hosted pages: no API key, the token in the path is the credential, so anyone (a
  // link-preview bot too) may send these; all are throttled. Showing a page never needs a code
  // (api function); the button that reveals and the form that deposits go to the function with
  // that privilege, as their /v1 routes do, so the pages widen no function's rights.
  { fn: 'api', method: 'GET', path: '/links/{token}', throttle: 'pages' },
  { fn: 'api', method: 'GET', path: '/links/assets/{file}', throttle: 'pages' },
  { fn: 'reveal', method: 'POST', path: '/links/{token}/reveal', throttle: 'reveal' },
  { fn: 'reveal', method: 'POST', path: '/links/{token}/report', throttle: 'reveal' },
  { fn: 'deposit', method: 'POST', path: '/links/{token}/cards', throttle: 'deposit' },
];

export const PRIVILEGED_ROUTES: readonly PrivilegedRoute[] = VAULT_ROUTES.filter(
  (route): route is PrivilegedRoute => route.fn !== 'api',
);

export const routeKey = (route: Pick<PrivilegedRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/**
 * Access log fields. Request and response bodies are not available to HTTP API access logs
 * and nothing here could carry one; headers (the API key) are not logged either. The route
 * pattern stands in for the path, as in the app's own logs: a code pasted into a URL must not
 * land in a log.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTimeEpoch: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

export interface VaultHttpApiProps {
  readonly config: StageConfig;
  readonly functions: VaultFunctions;
}

/**
 * HTTP API: no CORS (server-to-server callers; the hosted pages are same-origin and send no
 * cross-origin request), stage and route throttling, JSON access logs.
 */
export class VaultHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: VaultHttpApiProps) {
    super(scope, id);
    const { config, functions } = props;
    // One integration for $default and the api function's named routes.
    const apiIntegration = new HttpLambdaIntegration('ApiIntegration', functions.api.fn);
    this.api = new HttpApi(this, 'Api', {
      // Named after the stack (CardVault-<stage>), so the console and CLI tell the stages apart.
      apiName: `${Stack.of(this).stackName}-api`,
      description: `card-vault ${config.stage}`,
      createDefaultStage: false,
      defaultIntegration: apiIntegration,
    });
    const integrations = {
      api: apiIntegration,
      deposit: new HttpLambdaIntegration('DepositIntegration', functions.deposit.fn),
      reveal: new HttpLambdaIntegration('RevealIntegration', functions.reveal.fn),
    };
    const routes = VAULT_ROUTES.flatMap((route) =>
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.fn],
      }),
    );

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      // `$default`'s limits (DefaultRouteSettings): every named route has its own below.
      throttle: routeThrottle(config, 'default'),
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of VAULT_ROUTES) {
      const limit = routeThrottle(config, route.throttle);
      routeSettings[routeKey(route)] = {
        ThrottlingRateLimit: limit.rateLimit,
        ThrottlingBurstLimit: limit.burstLimit,
      };
    }
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = routeSettings;
    // Route settings name routes, which must exist first or the stage fails to deploy.
    for (const route of routes) cfnStage.node.addDependency(route);
  }

  get url(): string {
    // biome-ignore lint/style/noNonNullAssertion: a stage on an HTTP API always has a URL.
    return this.stage.url!;
  }
}
