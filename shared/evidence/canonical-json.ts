/** Lives in the client package (client/evidence/canonical-json.ts), so a marketplace checks evidence with the same code: one copy, re-exported here. */
export * from '../../client/evidence/canonical-json.js';
