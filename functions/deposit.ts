import { handle } from 'hono/aws-lambda';
import { HttpIssuer } from '../shared/adapters/issuer/http-issuer.js';
import { createKmsCodeCipher } from '../shared/adapters/kms/kms-code-cipher.js';
import { ENV } from '../shared/config/env-names.js';
import { OrderTransitions } from '../shared/domain/order-transitions.js';
import { createApp } from '../shared/http/app.js';
import { depositRoutes } from '../shared/http/routes/deposit-routes.js';
import { DepositService } from '../shared/services/deposit-service.js';
import { ListingService } from '../shared/services/listing-service.js';
import { OrderRunner } from '../shared/services/order-runner.js';
import { TenantService } from '../shared/services/tenant-service.js';
import { lambdaBase, requireKey } from './support/lambda-base.js';

/** Deposit and withdraw: may kms:Encrypt and kms:GenerateMac, never kms:Decrypt. */
const base = lambdaBase();
const cipher = createKmsCodeCipher({
  codeKeyId: requireKey(base.config.codeKeyId, ENV.codeKeyId),
  fingerprintKeyId: requireKey(base.config.fingerprintKeyId, ENV.fingerprintKeyId),
});
const deposits = new DepositService(
  { ...base, cipher, issuer: new HttpIssuer() },
  new ListingService(base, new OrderRunner(base, new OrderTransitions((at) => base.ids.next('evt', at)))),
);
const app = createApp({
  tenants: new TenantService(base),
  logger: base.logger,
  modules: [depositRoutes(deposits)],
});

export const handler = handle(app);
