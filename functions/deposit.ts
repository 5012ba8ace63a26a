import { handle } from 'hono/aws-lambda';
import { HttpIssuer } from '../shared/adapters/issuer/http-issuer.js';
import { SecretsManagerIssuerSecrets } from '../shared/adapters/issuer/secrets-manager-issuer-secrets.js';
import { createKmsCodeCipher } from '../shared/adapters/kms/kms-code-cipher.js';
import { loadIssuerConfig, loadLambdaConfig } from '../shared/config/config.js';
import { createApp } from '../shared/http/app.js';
import { depositPageRoutes } from '../shared/http/pages/deposit-page-routes.js';
import { depositRoutes } from '../shared/http/routes/deposit-routes.js';
import { vaultForDeposit } from '../shared/services/vault.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { lambdaAdapters } from './support/lambda-adapters.js';

/** Deposit and withdraw: may kms:Encrypt and kms:GenerateMac, never kms:Decrypt. */
const config = loadLambdaConfig(['codeKeyId', 'fingerprintKeyId']);
const adapters = lambdaAdapters(config);
const vault = vaultForDeposit({
  ...adapters,
  cipher: createKmsCodeCipher({ codeKeyId: config.codeKeyId, fingerprintKeyId: config.fingerprintKeyId }),
  issuer: new HttpIssuer({ ...loadIssuerConfig('aws'), secrets: new SecretsManagerIssuerSecrets() }),
});
const app = createApp({
  tenants: vault.tenants,
  limits: vault.limits,
  logger: adapters.logger,
  modules: [depositRoutes(vault.deposits)],
  // The deposit page's form: it seals codes, so it runs here.
  pages: [depositPageRoutes({ ...vault, logger: adapters.logger })],
});

export const handler = flushingMetrics(adapters.metrics, handle(app));
