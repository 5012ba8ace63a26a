import { OrderTransitions } from '../domain/order-transitions.js';
import { DepositService } from './deposit-service.js';
import { ListingService } from './listing-service.js';
import { OrderRunner } from './order-runner.js';
import { OrderService } from './order-service.js';
import { PaymentService } from './payment-service.js';
import { ReportService } from './report-service.js';
import { RevealService } from './reveal-service.js';
import { StandingService } from './standing-service.js';
import { SuspensionService } from './suspension-service.js';
import { Sweeper } from './sweeper.js';
import { TenantService } from './tenant-service.js';
import type { VaultDeps } from './vault-deps.js';

/** Every use case, built once from the ports (module scope in Lambda: once per cold start). */
export function createVault(deps: VaultDeps) {
  const transitions = new OrderTransitions((at) => deps.ids.next('evt', at));
  const runner = new OrderRunner(deps, transitions);
  const listings = new ListingService(deps, runner);
  const suspension = new SuspensionService(deps, transitions, runner);
  return {
    tenants: new TenantService(deps),
    listings,
    deposits: new DepositService(deps, listings),
    orders: new OrderService(deps, transitions, runner, listings),
    payments: new PaymentService(deps, transitions, runner),
    reveals: new RevealService(deps, transitions, runner, suspension),
    reports: new ReportService(deps, transitions, runner, suspension),
    standing: new StandingService(deps),
    suspension,
    sweeper: new Sweeper(deps, runner),
  };
}

export type Vault = ReturnType<typeof createVault>;
