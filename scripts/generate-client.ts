/** `npm run client:generate`: writes client/generated.ts from the API's OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { openApiDocument } from '../shared/http/openapi-document.js';
import { generateClientSource, type OpenApiDocument } from './client-codegen.js';

export const GENERATED_CLIENT = new URL('../client/generated.ts', import.meta.url);

const source = generateClientSource((await openApiDocument()) as unknown as OpenApiDocument);
await writeFile(GENERATED_CLIENT, source);
process.stdout.write(`wrote ${GENERATED_CLIENT.pathname}\n`);
