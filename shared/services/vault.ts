import { OrderTransitions } from '../domain/order-transitions.js';
import { DepositService } from './deposit-service.js';
import { ListingService } from './listing-service.js';
import { OrderRunner } from './order-runner.js';
import { OrderService } from './order-service.js';
import { PaymentService } from './payment-service.js';
import { ReinstatementService } from './reinstatement-service.js';
import { ReportService } from './report-service.js';
import { RevealService } from './reveal-service.js';
import { StandingService } from './standing-service.js';
import { SuspensionService } from './suspension-service.js';
import { SuspensionSweep } from './suspension-sweep.js';
import { Sweeper } from './sweeper.js';
import { TenantService } from './tenant-service.js';
import type { CoreDeps, DepositDeps, RevealDeps, VaultDeps } from './vault-deps.js';

/**
 * The composition root: the one place that builds the use cases from the ports. Each Lambda
 * function takes the slice its routes serve (`vaultFor...`), given only the adapters that
 * slice needs; the local stack takes all of them (`createVault`). Slices are plain functions so
 * a function's bundle carries only its own services (esbuild drops the others).
 */
function core(deps: CoreDeps) {
  const transitions = new OrderTransitions((at) => deps.ids.next('evt', at));
  const runner = new OrderRunner(deps, transitions);
  const suspension = new SuspensionService(deps, transitions, runner);
  return {
    deps,
    transitions,
    runner,
    suspension,
    tenants: new TenantService(deps),
    listings: new ListingService(deps, runner),
  };
}

type Core = ReturnType<typeof core>;

function sales({ deps, transitions, runner, listings }: Core) {
  return {
    listings,
    reinstatements: new ReinstatementService(deps),
    orders: new OrderService(deps, transitions, runner, listings),
    payments: new PaymentService(deps, transitions, runner),
    standing: new StandingService(deps),
  };
}

function deposits({ deps, listings }: Core, sealing: Pick<DepositDeps, 'cipher' | 'issuer'>) {
  return { deposits: new DepositService({ ...deps, ...sealing }, listings) };
}

function reveals(
  { deps, transitions, runner, suspension }: Core,
  opening: Pick<RevealDeps, 'cipher' | 'issuer'>,
) {
  const revealDeps = { ...deps, ...opening };
  return {
    suspension,
    reveals: new RevealService(revealDeps, transitions, runner, suspension),
    reports: new ReportService(revealDeps, transitions, runner, suspension),
  };
}

/** Listings, orders, payments, standing: nothing that touches a code (no cipher, no issuer). */
export function vaultForApi(deps: CoreDeps) {
  const c = core(deps);
  return { tenants: c.tenants, ...sales(c) };
}

/** Deposit and withdrawal: seals and fingerprints codes, never opens one. */
export function vaultForDeposit(deps: DepositDeps) {
  const c = core(deps);
  return { tenants: c.tenants, ...deposits(c, deps) };
}

/** Reveal and reports: the only use cases that open a code. */
export function vaultForReveal(deps: RevealDeps) {
  const c = core(deps);
  return { tenants: c.tenants, ...reveals(c, deps) };
}

function sweeps({ deps, runner, suspension }: Core) {
  return new Sweeper(deps, runner, new SuspensionSweep(deps, suspension));
}

/** The due transitions (expiry, release) and pending suspension cascades, on a schedule. */
export function vaultForSweeper(deps: CoreDeps) {
  return { sweeper: sweeps(core(deps)) };
}

/** Every use case over one graph, for a process serving the whole contract (the local stack). */
export function createVault(deps: VaultDeps) {
  const c = core(deps);
  return {
    tenants: c.tenants,
    ...sales(c),
    ...deposits(c, deps),
    ...reveals(c, deps),
    sweeper: sweeps(c),
  };
}

export type Vault = ReturnType<typeof createVault>;
