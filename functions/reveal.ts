import { handle } from 'hono/aws-lambda';
import { HttpIssuer } from '../shared/adapters/issuer/http-issuer.js';
import { createKmsCodeCipher } from '../shared/adapters/kms/kms-code-cipher.js';
import { ENV } from '../shared/config/env-names.js';
import { OrderTransitions } from '../shared/domain/order-transitions.js';
import { createApp } from '../shared/http/app.js';
import { revealRoutes } from '../shared/http/routes/reveal-routes.js';
import { OrderRunner } from '../shared/services/order-runner.js';
import { ReportService } from '../shared/services/report-service.js';
import { RevealService } from '../shared/services/reveal-service.js';
import { SuspensionService } from '../shared/services/suspension-service.js';
import { TenantService } from '../shared/services/tenant-service.js';
import { lambdaBase, requireKey } from './support/lambda-base.js';

/** Reveal and reports: the only paths that need a plaintext code, and the only function with kms:Decrypt. */
const base = lambdaBase();
const deps = {
  ...base,
  cipher: createKmsCodeCipher({ codeKeyId: requireKey(base.config.codeKeyId, ENV.codeKeyId) }),
  issuer: new HttpIssuer(),
};
const transitions = new OrderTransitions((at) => deps.ids.next('evt', at));
const runner = new OrderRunner(deps, transitions);
const suspension = new SuspensionService(deps, transitions, runner);
const app = createApp({
  tenants: new TenantService(base),
  logger: base.logger,
  modules: [
    revealRoutes({
      reveals: new RevealService(deps, transitions, runner, suspension),
      reports: new ReportService(deps, transitions, runner, suspension),
    }),
  ],
});

export const handler = handle(app);
