import { type Figure, figure, round } from './figure.js';
import type { SaleRun } from './p2-throughput.js';
import { capacityUsd, LIST_PRICES, requestUsd, type SaleUsage } from './prices.js';
import { SALE_FLOOR, saleFloor } from './sale-floor.js';

/** KMS requests per cipher call: the KMS cipher sends one request per encrypt, fingerprint, decrypt. */
const KMS_REQUESTS_PER_CIPHER_CALL = 1;

/** P1: the DynamoDB capacity a sale consumed (ReturnConsumedCapacity), priced, against the contract's floor. */
export function p1Cost(run: SaleRun): Figure {
  const actual: SaleUsage = {
    readUnits: run.perSale.readUnits,
    writeUnits: run.perSale.writeUnits,
    kmsRequests: run.perSale.cipherCalls * KMS_REQUESTS_PER_CIPHER_CALL,
    apiRequests: run.apiRequestsPerSale,
  };
  const floor = saleFloor(SALE_FLOOR);
  const microUsd = (usd: number) => round(usd * 1e6);
  return figure({
    id: 'P1',
    title: 'DynamoDB capacity cost per sale',
    value: capacityUsd(actual) * 1e6,
    bound: capacityUsd(floor) * 1e6,
    unit: `µUSD (${LIST_PRICES.region} list prices, ${LIST_PRICES.readOn})`,
    boundKind: 'floor',
    boundLabel: 'floor: the items docs/design.md "Transactions" makes a 1-card sale write and read',
    goal: { op: '<=', ratio: 1.2 },
    details: {
      'WRU per sale': round(actual.writeUnits),
      'WRU floor': floor.writeUnits,
      'RRU per sale': round(actual.readUnits),
      'RRU floor': floor.readUnits,
      'KMS requests per sale': round(actual.kmsRequests),
      'KMS floor': floor.kmsRequests,
      'API requests per sale': round(actual.apiRequests),
      'requests cost per sale µUSD (DynamoDB, KMS, API, Lambda)': microUsd(requestUsd(actual)),
      'requests cost floor µUSD': microUsd(requestUsd(floor)),
    },
  });
}
