import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  apiReference,
  COMMON_PROBLEMS,
  declaredProblems,
  type ReferenceDocument,
} from '../../scripts/api-reference.js';
import { openApiDocument } from '../../shared/http/openapi-document.js';
import { problemTypes } from '../../shared/http/problem-types.js';

/** The API's routes are written once (the route modules); docs/api.md is generated from them. */
describe('the API reference', () => {
  it('is generated from the current document (run `npm run docs:api` after changing a route)', async () => {
    const doc = (await openApiDocument()) as unknown as ReferenceDocument;
    const onDisk = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(apiReference(doc));
  });

  it("names every problem an operation declares, in its row or in the README's list for any route", async () => {
    const doc = (await openApiDocument()) as unknown as ReferenceDocument;
    const reference = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const row =
          reference.split('\n').find((l) => l.startsWith(`| ${method.toUpperCase()} ${path}`)) ?? '';
        const codes = row.split('|').at(-2) ?? '';
        for (const code of declaredProblems(op)) {
          if (!COMMON_PROBLEMS.includes(code)) expect(codes, `${method} ${path}`).toContain(code);
        }
      }
    }
  });

  it("keeps the README's list of problems any route may answer equal to the generator's, both ways", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const paragraph = readme.slice(readme.indexOf('any route may answer'), readme.indexOf('Operator notes'));
    const named = [...paragraph.matchAll(/`([a-z-]+)`/g)]
      .map((m) => m[1] as string)
      .filter((code) => Object.hasOwn(problemTypes, code));
    expect([...new Set(named)].sort()).toEqual([...COMMON_PROBLEMS].sort());
  });
});
