// Values test/support/global-setup.ts provides to every test file, read with inject('<name>').
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB Local shared by the whole run (in memory, free port). */
    dynamoEndpoint: string;
    /** The run's Chromium (browser.ts), when the run has browser tests; '' otherwise. */
    chromiumEndpoint: string;
  }
}
