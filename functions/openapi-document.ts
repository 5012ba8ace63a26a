import { openApiDocument } from '../shared/http/openapi-document.js';

/**
 * Prints the whole API's OpenAPI document, as the local app serves it at `/openapi.json`. The
 * synth runs it (infra/bundling.ts) and the api function's bundle carries its output: the Lambda
 * bundles validate requests without the OpenAPI generator (shared/http/openapi-lite.ts).
 */
process.stdout.write(JSON.stringify(await openApiDocument()));
