import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Issue 23: the README is what a newcomer reads in five minutes, and its links lead somewhere.
 * (It once pointed to a "Disputes" section that did not exist.)
 */
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const README = read('README.md');
const DOCS = readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md'));

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1] as string)));
}

function linksOf(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)|src="([^"]+)"/g)]
    .map((m) => (m[1] ?? m[2]) as string)
    .filter((l) => !/^[a-z]+:/.test(l));
}

describe('the README', () => {
  it('stays under 350 lines', () => {
    expect(README.split('\n').length).toBeLessThan(350);
  });

  it('starts with what it is and a quick start before anything else', () => {
    const headings = [...README.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings[0]).toBe('Quick start');
    const quickStart = README.slice(
      README.indexOf('## Quick start'),
      README.indexOf('\n## ', README.indexOf('## Quick start') + 5),
    );
    for (const step of ['npm ci', 'npm start', 'npm run demo', '.data/dev-api-key'])
      expect(quickStart).toContain(step);
  });

  it.each([['README.md', README], ...DOCS.map((f) => [`docs/${f}`, read(`docs/${f}`)])])(
    '%s links only to files and headings that exist',
    (path, text) => {
      const base = new URL(path, root);
      for (const link of linksOf(text)) {
        const [file = '', hash] = link.split('#');
        const target = file ? new URL(file, base) : base;
        expect(existsSync(target), `${path} -> ${link}`).toBe(true);
        if (hash && target.pathname.endsWith('.md')) {
          expect(anchorsOf(readFileSync(target, 'utf8')), `${path} -> ${link}`).toContain(hash);
        }
      }
    },
  );
});
