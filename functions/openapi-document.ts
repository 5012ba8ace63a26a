import { createLogger } from '../shared/adapters/logging/pino-logger.js';
import { createApp } from '../shared/http/app.js';
import { allRoutes } from '../shared/http/routes/all-routes.js';
import type { Vault } from '../shared/services/vault.js';

/**
 * Prints the whole API's OpenAPI document, as the local app serves it at `/openapi.json`. The
 * synth runs it (infra/bundling.ts) and the api function's bundle carries its output: the Lambda
 * bundles validate requests without the OpenAPI generator (shared/http/openapi-lite.ts).
 *
 * The document comes from the routes' definitions alone: their handlers never run here, so the
 * route modules get no services.
 */
const app = createApp({
  tenants: { authenticate: () => Promise.reject(new Error('no tenants here')) },
  logger: createLogger({ level: 'silent' }),
  modules: allRoutes({} as Vault),
});
const response = await app.request('/openapi.json');
if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
process.stdout.write(await response.text());
