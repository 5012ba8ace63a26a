/**
 * AWS list prices the P1 cost is priced at: us-east-1, on-demand, no free tier, as published on
 * aws.amazon.com/{dynamodb,kms,api-gateway,lambda}/pricing and read in 2025 (the same prices as the
 * docs/operations.md "Rough monthly cost"). Change them here, with the date, when AWS changes them.
 */
export const LIST_PRICES = {
  region: 'us-east-1',
  readOn: '2025',
  usd: {
    /** DynamoDB on-demand, per write request unit. */
    writeUnit: 0.625 / 1e6,
    /** DynamoDB on-demand, per read request unit. */
    readUnit: 0.125 / 1e6,
    /** KMS, per request (Encrypt, Decrypt, GenerateMac). */
    kmsRequest: 0.03 / 1e4,
    /** API Gateway HTTP API, per request (first 300 million a month). */
    apiRequest: 1.0 / 1e6,
    /** Lambda, per invocation (one per API request). */
    lambdaRequest: 0.2 / 1e6,
    /** Lambda compute on arm64 (the stack's architecture), per GB-second. */
    lambdaGbSecond: 0.0000133334,
  },
} as const;

export interface SaleUsage {
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly kmsRequests: number;
  readonly apiRequests: number;
}

/** DynamoDB capacity at list price: the part of a sale's cost the vault's design decides. */
export const capacityUsd = (u: SaleUsage) =>
  u.readUnits * LIST_PRICES.usd.readUnit + u.writeUnits * LIST_PRICES.usd.writeUnit;

/** Everything per request at list price (compute time and storage left out). */
export const requestUsd = (u: SaleUsage) =>
  capacityUsd(u) +
  u.kmsRequests * LIST_PRICES.usd.kmsRequest +
  u.apiRequests * (LIST_PRICES.usd.apiRequest + LIST_PRICES.usd.lambdaRequest);
