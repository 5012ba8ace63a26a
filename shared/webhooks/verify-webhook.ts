/** The webhook verifier lives in the client package (client/verify-webhook.ts): one copy, re-exported for the vault's own code. */
export * from '../../client/verify-webhook.js';
