import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CardVaultClient, operations } from '../../client/index.js';
import { generateClientSource, type OpenApiDocument } from '../../scripts/client-codegen.js';
import { openApiDocument } from '../../shared/http/openapi-document.js';

/** Issue 9 item 5: the client is generated from /openapi.json and has a method for every route. */
describe('the typed client', () => {
  it('is generated from the current document (run `npm run client:generate` after changing a route)', async () => {
    const doc = (await openApiDocument()) as unknown as OpenApiDocument;
    const onDisk = await readFile(new URL('../../client/generated.ts', import.meta.url), 'utf8');
    expect(onDisk).toBe(generateClientSource(doc));
  });

  it('has one method per operation of the document, sending its method and path', async () => {
    const doc = (await openApiDocument()) as unknown as OpenApiDocument;
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => [op.operationId, method.toUpperCase(), path]),
    );
    expect(documented.length).toBeGreaterThan(15);
    for (const [id, method, path] of documented) {
      expect(
        typeof (CardVaultClient.prototype as unknown as Record<string, unknown>)[String(id)],
        String(id),
      ).toBe('function');
      expect(operations[id as keyof typeof operations], String(id)).toMatchObject({ method, path });
    }
    expect(Object.keys(operations).sort()).toEqual(documented.map(([id]) => id).sort());
  });
});
