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
import type { StageConfig, Throttle } from '../stage-config.js';
import type { VaultFunctions } from './vault-functions.js';

/** Routes served by the privileged functions; everything else goes to `$default` (the api function). */
export const PRIVILEGED_ROUTES = {
  deposit: ['/v1/listings/{id}/cards'],
  reveal: ['/v1/orders/{id}/reveal', '/v1/orders/{id}/reports'],
} as const;

/**
 * Access log fields. Request and response bodies are not available to HTTP API access logs
 * and nothing here could carry one; headers (the API key) are not logged either.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTimeEpoch: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
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

/** HTTP API: no CORS (server-to-server callers only), stage and route throttling, JSON access logs. */
export class VaultHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: VaultHttpApiProps) {
    super(scope, id);
    const { config, functions } = props;
    this.api = new HttpApi(this, 'Api', {
      description: `card-vault ${config.stage}`,
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', functions.api.fn),
    });
    const deposit = new HttpLambdaIntegration('DepositIntegration', functions.deposit.fn);
    const reveal = new HttpLambdaIntegration('RevealIntegration', functions.reveal.fn);
    const routes = [
      ...PRIVILEGED_ROUTES.deposit.map((path) => ({ path, integration: deposit })),
      ...PRIVILEGED_ROUTES.reveal.map((path) => ({ path, integration: reveal })),
    ].flatMap(({ path, integration }) =>
      this.api.addRoutes({ path, methods: [HttpMethod.POST], integration }),
    );

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const limit = (t: Throttle) => ({ ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit });
    for (const path of PRIVILEGED_ROUTES.deposit) {
      routeSettings[`POST ${path}`] = limit(config.routeThrottle.deposit);
    }
    for (const path of PRIVILEGED_ROUTES.reveal) {
      routeSettings[`POST ${path}`] = limit(config.routeThrottle.reveal);
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
