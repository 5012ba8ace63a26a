import type { Logger } from '../ports/logger.js';
import type { Vault } from '../services/vault.js';
import { createApp } from './app.js';
import { allRoutes } from './routes/all-routes.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Stands in for any service: reading a member gives another stand-in, calling one throws. */
function unusedService(path: string): never {
  return new Proxy(() => {}, {
    get: (_target, member) => unusedService(`${path}.${String(member)}`),
    apply: () => {
      throw new Error(`${path}() was called while only the OpenAPI document was being built`);
    },
  }) as never;
}

/**
 * The whole API's OpenAPI document without a running vault: the route modules are built over
 * stand-in services (a module reads only its schemas when built). For tools that need the
 * contract alone: the typed client's generator and the document lint.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const vault: Vault = unusedService('vault');
  const app = createApp({
    tenants: unusedService('tenants'),
    limits: unusedService('limits'),
    logger: silent,
    modules: allRoutes(vault),
  });
  const response = await app.request('/openapi.json');
  return (await response.json()) as Record<string, unknown>;
}
