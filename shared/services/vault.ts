import { OrderTransitions } from '../domain/order-transitions.js';
import { ApiKeyService } from './api-key-service.js';
import { withCachedBrands } from './cached-brands.js';
import { DepositService } from './deposit-service.js';
import { DepositUnlockService } from './deposit-unlock-service.js';
import { EscalationDeadlines } from './escalation-deadlines.js';
import { EscalationGauges } from './escalation-gauges.js';
import { EscalationService } from './escalation-service.js';
import { EvidenceService } from './evidence-service.js';
import { LinkService } from './link-service.js';
import { ListingService } from './listing-service.js';
import { OrderRunner } from './order-runner.js';
import { OrderService } from './order-service.js';
import { PaymentService } from './payment-service.js';
import { RateLimitService } from './rate-limit-service.js';
import { RecheckJob } from './recheck-job.js';
import { ReinstatementService } from './reinstatement-service.js';
import { ReportCloser } from './report-closer.js';
import { ReportService } from './report-service.js';
import { RevealService } from './reveal-service.js';
import { SellerReviewService } from './seller-review-service.js';
import { SellerReviewSweep } from './seller-review-sweep.js';
import { StandingService } from './standing-service.js';
import { SuspensionService } from './suspension-service.js';
import { SuspensionSweep } from './suspension-sweep.js';
import { Sweeper, type SweepStep } from './sweeper.js';
import { TenantService } from './tenant-service.js';
import type { ApiDeps, CoreDeps, DepositDeps, RevealDeps, VaultDeps } from './vault-deps.js';
import { WebhookDeliveryService } from './webhook-delivery-service.js';
import { WebhookEndpointService } from './webhook-endpoint-service.js';

/**
 * The composition root: the one place that builds the use cases from the ports. Each Lambda
 * function takes the slice its routes serve (`vaultFor...`), given only the adapters that
 * slice needs; the local stack takes all of them (`createVault`). Slices are plain functions so
 * a function's bundle carries only its own services (esbuild drops the others).
 */
function core(given: CoreDeps) {
  const { settings, clock } = given;
  const tenantStore = withCachedBrands(given.stores.tenants, clock, {
    seconds: settings.brandCacheSeconds,
    entries: settings.apiKeyCacheEntries,
  });
  const deps: CoreDeps = { ...given, stores: { ...given.stores, tenants: tenantStore } };
  const transitions = new OrderTransitions((at) => deps.ids.next('evt', at), deps.settings);
  const runner = new OrderRunner(deps, transitions);
  const suspension = new SuspensionService(deps, transitions, runner);
  const closer = new ReportCloser(deps, transitions, runner, suspension);
  const reviews = new SellerReviewService(deps, transitions, runner, closer, suspension);
  return {
    deps,
    transitions,
    runner,
    suspension,
    closer,
    reviews,
    escalations: new EscalationService(deps, closer),
    tenants: new TenantService(deps, {
      seconds: deps.settings.apiKeyCacheSeconds,
      entries: deps.settings.apiKeyCacheEntries,
    }),
    listings: new ListingService(deps, runner),
    // Every HTTP function limits its requests: the same buckets, whichever function serves.
    limits: new RateLimitService(deps, {
      seconds: deps.settings.apiKeyCacheSeconds,
      entries: deps.settings.apiKeyCacheEntries,
    }),
    // Every function opens links: the api the pages, reveal and deposit the pages' forms.
    links: new LinkService(deps, runner, transitions),
  };
}

type Core = ReturnType<typeof core>;

function sales({ deps, transitions, runner, listings, reviews }: Core) {
  return {
    listings,
    reviews,
    reinstatements: new ReinstatementService(deps),
    depositUnlocks: new DepositUnlockService(deps),
    orders: new OrderService(deps, transitions, runner, listings),
    payments: new PaymentService(deps, transitions, runner),
    standing: new StandingService(deps),
  };
}

/** Evidence bundles: only the api function signs them. */
function evidence({ deps, runner }: Core, signer: ApiDeps['evidenceSigner']) {
  return { evidence: new EvidenceService({ ...deps, signer }, runner) };
}

/** Webhook endpoints: only the api function reads or writes them (they hold signing secrets). */
function webhooks(deps: ApiDeps) {
  return {
    webhookEndpoints: new WebhookEndpointService(deps),
    webhookDeliveries: new WebhookDeliveryService({
      endpoints: deps.stores.webhookEndpoints,
      deliveries: deps.stores.webhookDeliveries,
      clock: deps.clock,
    }),
  };
}

function deposits({ deps, listings }: Core, sealing: Pick<DepositDeps, 'cipher' | 'issuer'>) {
  return {
    deposits: new DepositService({ ...deps, cipher: sealing.cipher, issuer: sealing.issuer }, listings),
  };
}

function reveals(
  { deps, transitions, runner, suspension, closer, reviews }: Core,
  opening: Pick<RevealDeps, 'cipher' | 'issuer'>,
) {
  const revealDeps = { ...deps, cipher: opening.cipher, issuer: opening.issuer };
  return {
    suspension,
    reveals: new RevealService(revealDeps, transitions, runner, suspension),
    reports: new ReportService(revealDeps, transitions, runner, suspension, reviews),
    recheck: new RecheckJob(revealDeps, transitions, runner, closer, suspension, reviews),
  };
}

/** The sweeper with its steps; `more` adds the recheck job where one process does everything. */
function sweeper(c: Core, more: readonly SweepStep[] = []) {
  return new Sweeper(c.deps, c.runner, [
    new EscalationDeadlines(c.deps, c.escalations),
    new SuspensionSweep(c.deps, c.suspension),
    new SellerReviewSweep(c.deps, c.reviews),
    ...more,
    new EscalationGauges(c.deps),
  ]);
}

/**
 * Listings, orders, payments, standing, escalations, webhook endpoints: nothing that touches a
 * code (no cipher, no issuer).
 */
export function vaultForApi(deps: ApiDeps) {
  const c = core(deps);
  return {
    tenants: c.tenants,
    limits: c.limits,
    escalations: c.escalations,
    links: c.links,
    ...sales(c),
    ...withApiKeys(c, webhooks(deps)),
    ...evidence(c, deps.evidenceSigner),
  };
}

/** A tenant's own keys: made and revoked on the api function only (IAM: APIKEY# writes). */
function withApiKeys(c: Core, hooks: ReturnType<typeof webhooks>) {
  return {
    ...hooks,
    apiKeys: new ApiKeyService(c.deps, c.tenants, {
      links: c.links,
      webhookEndpoints: hooks.webhookEndpoints,
    }),
  };
}

/** The desks for an operator's process (`npm run escalation`, `seller review`): no cipher, issuer or signer. */
export function vaultForDesk(deps: CoreDeps) {
  const c = core(deps);
  return { escalations: c.escalations, reviews: c.reviews };
}

/** Deposit and withdrawal: seals and fingerprints codes, never opens one. */
export function vaultForDeposit(deps: DepositDeps) {
  const c = core(deps);
  return { tenants: c.tenants, limits: c.limits, links: c.links, ...deposits(c, deps) };
}

/** Reveal, reports and the recheck job: the only use cases that open a code. */
export function vaultForReveal(deps: RevealDeps) {
  const c = core(deps);
  return { tenants: c.tenants, limits: c.limits, links: c.links, ...reveals(c, deps) };
}

/** The due transitions (expiry, release), escalation deadlines and pending suspension cascades, on a schedule. */
export function vaultForSweeper(deps: CoreDeps) {
  return { sweeper: sweeper(core(deps)) };
}

/** Every use case over one graph, for a process serving the whole contract (the local stack). */
export function createVault(deps: VaultDeps) {
  const c = core(deps);
  const opening = reveals(c, deps);
  return {
    tenants: c.tenants,
    limits: c.limits,
    escalations: c.escalations,
    links: c.links,
    ...sales(c),
    ...withApiKeys(c, webhooks(deps)),
    ...evidence(c, deps.evidenceSigner),
    ...deposits(c, deps),
    ...opening,
    // One timer runs both here; in AWS the recheck job has its own schedule on the reveal function.
    sweeper: sweeper(c, [opening.recheck]),
  };
}

export type Vault = ReturnType<typeof createVault>;
