import type { ScheduledEvent } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { RECHECK_EVENT_SOURCE } from '../infra/names.js';
import { HttpIssuer } from '../shared/adapters/issuer/http-issuer.js';
import { SecretsManagerIssuerSecrets } from '../shared/adapters/issuer/secrets-manager-issuer-secrets.js';
import { createKmsCodeCipher } from '../shared/adapters/kms/kms-code-cipher.js';
import { createKmsLinkMac } from '../shared/adapters/kms/kms-link-mac.js';
import { loadIssuerConfig, loadLambdaConfig } from '../shared/config/config.js';
import { createApp } from '../shared/http/app.js';
import { revealPageRoutes } from '../shared/http/pages/reveal-page-routes.js';
import { revealRoutes } from '../shared/http/routes/reveal-routes.js';
import type { SweepResult } from '../shared/services/sweeper.js';
import { vaultForReveal } from '../shared/services/vault.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { lambdaAdapters } from './support/lambda-adapters.js';

/**
 * Reveal and reports: the only paths that need a plaintext code, and the only function with
 * kms:Decrypt. Its scheduled recheck job (re-asking the issuer, the reveal-deadline re-check)
 * needs plaintexts too, so it runs here, on its own schedule, rather than in the sweeper.
 */
const config = loadLambdaConfig(['codeKeyId', 'linkKeyId']);
const adapters = lambdaAdapters(config);
const vault = vaultForReveal({
  ...adapters,
  cipher: createKmsCodeCipher({ codeKeyId: config.codeKeyId }),
  issuer: new HttpIssuer({ ...loadIssuerConfig('aws'), secrets: new SecretsManagerIssuerSecrets() }),
  linkKeys: createKmsLinkMac({ keyId: config.linkKeyId }),
});
const app = createApp({
  tenants: vault.tenants,
  limits: vault.limits,
  logger: adapters.logger,
  modules: [revealRoutes(vault)],
  // The reveal page's two forms (reveal, report): they open codes, so they run here.
  pages: [revealPageRoutes({ ...vault, logger: adapters.logger })],
});
const http = handle(app);

type RecheckEvent = Pick<ScheduledEvent, 'time' | 'source'>;

function isRecheck(event: unknown): event is RecheckEvent {
  return (event as { source?: unknown } | null)?.source === RECHECK_EVENT_SOURCE;
}

async function recheck(event: RecheckEvent): Promise<SweepResult> {
  const result = await vault.recheck.run();
  adapters.logger.info({ scheduledAt: event.time, ...result }, 'recheck run');
  // A failed run fails the invocation, so the Errors metric and the dead-letter queue see it.
  if (result.failed > 0) throw new Error(`${result.failed} of ${result.examined} rechecks failed`);
  return result;
}

export function handler(event: RecheckEvent, context: unknown): Promise<SweepResult>;
export function handler(
  event: Parameters<typeof http>[0],
  context: Parameters<typeof http>[1],
): ReturnType<typeof http>;
export function handler(event: unknown, context: unknown): Promise<unknown> {
  return dispatch(event, context);
}

const dispatch = flushingMetrics(adapters.metrics, (event: unknown, context: unknown): Promise<unknown> => {
  if (isRecheck(event)) return recheck(event);
  return http(event as Parameters<typeof http>[0], context as Parameters<typeof http>[1]);
});
