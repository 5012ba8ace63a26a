import { handle } from 'hono/aws-lambda';
import { OrderTransitions } from '../shared/domain/order-transitions.js';
import { createApp } from '../shared/http/app.js';
import { listingRoutes } from '../shared/http/routes/listing-routes.js';
import { orderRoutes } from '../shared/http/routes/order-routes.js';
import { partyRoutes } from '../shared/http/routes/party-routes.js';
import { ListingService } from '../shared/services/listing-service.js';
import { OrderRunner } from '../shared/services/order-runner.js';
import { OrderService } from '../shared/services/order-service.js';
import { PaymentService } from '../shared/services/payment-service.js';
import { StandingService } from '../shared/services/standing-service.js';
import { TenantService } from '../shared/services/tenant-service.js';
import { lambdaBase } from './support/lambda-base.js';

/** Everything that never touches a code's plaintext: this function has no KMS rights at all. */
const base = lambdaBase();
const transitions = new OrderTransitions((at) => base.ids.next('evt', at));
const runner = new OrderRunner(base, transitions);
const listings = new ListingService(base, runner);
const app = createApp({
  tenants: new TenantService(base),
  logger: base.logger,
  modules: [
    listingRoutes(listings),
    orderRoutes({
      orders: new OrderService(base, transitions, runner, listings),
      payments: new PaymentService(base, transitions, runner),
    }),
    partyRoutes(new StandingService(base)),
  ],
});

export const handler = handle(app);
