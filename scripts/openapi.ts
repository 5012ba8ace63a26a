/**
 * Prints the API's OpenAPI document (the same one `GET /openapi.json` serves) without starting
 * anything: `npm run -s openapi > openapi.json`, for client generators and linters.
 */
import { openApiDocument } from '../shared/http/openapi-document.js';

process.stdout.write(`${JSON.stringify(await openApiDocument(), null, 2)}\n`);
