/** `npm run docs:api`: writes docs/api.md from the API's OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { openApiDocument } from '../shared/http/openapi-document.js';
import { apiReference, type ReferenceDocument } from './api-reference.js';

const target = new URL('../docs/api.md', import.meta.url);
await writeFile(target, apiReference((await openApiDocument()) as unknown as ReferenceDocument));
process.stdout.write(`wrote ${target.pathname}\n`);
