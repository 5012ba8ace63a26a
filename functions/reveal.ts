import { handle } from 'hono/aws-lambda';
import { HttpIssuer } from '../shared/adapters/issuer/http-issuer.js';
import { createKmsCodeCipher } from '../shared/adapters/kms/kms-code-cipher.js';
import { loadLambdaConfig } from '../shared/config/config.js';
import { createApp } from '../shared/http/app.js';
import { revealRoutes } from '../shared/http/routes/reveal-routes.js';
import { vaultForReveal } from '../shared/services/vault.js';
import { lambdaAdapters } from './support/lambda-adapters.js';

/** Reveal and reports: the only paths that need a plaintext code, and the only function with kms:Decrypt. */
const config = loadLambdaConfig(['codeKeyId']);
const adapters = lambdaAdapters(config);
const vault = vaultForReveal({
  ...adapters,
  cipher: createKmsCodeCipher({ codeKeyId: config.codeKeyId }),
  issuer: new HttpIssuer(),
});
const app = createApp({ tenants: vault.tenants, logger: adapters.logger, modules: [revealRoutes(vault)] });

export const handler = handle(app);
