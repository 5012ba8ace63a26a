import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';

const CANONICAL = 'DEMOAB23CD45EF67';

/** Spellings a person (or a fraudster) could give for DEMO-AB23-CD45-EF67: all one code. */
const lookAlikes: Array<[label: string, spelling: string]> = [
  ['canonical', CANONICAL],
  ['ASCII dashes', 'DEMO-AB23-CD45-EF67'],
  ['lower case', 'demo-ab23-cd45-ef67'],
  ['spaces and tabs', ' DEMO AB23\tCD45 EF67\n'],
  ['no-break and ideographic spaces', 'DEMO\u00a0AB23\u3000CD45\u202fEF67'],
  ['zero-width space', 'DEMO\u200bAB23CD45EF67'],
  ['zero-width joiners and BOM', 'DE\u200cMO\u200dAB23\ufeffCD45\u2060EF67'],
  ['soft hyphen', 'DEMO\u00adAB23CD45EF67'],
  ['en dash (U+2013)', 'DEMO\u2013AB23\u2013CD45\u2013EF67'],
  ['em dash, figure dash, minus sign', 'DEMO\u2014AB23\u2012CD45\u2212EF67'],
  ['Unicode hyphens', 'DEMO\u2010AB23\u2011CD45\ufe63EF67'],
  ['full-width letters, digits and hyphen', 'ＤＥＭＯ－ＡＢ２３－ＣＤ４５－ＥＦ６７'],
  ['full-width lower case', 'ｄｅｍｏａｂ２３ｃｄ４５ｅｆ６７'],
  ['dots, slashes and underscores', 'DEMO.AB23/CD45_EF67'],
  ['mixed', ' ｄemo\u2013ab２3\u200b cd45—EF６７ '],
];

describe('normalizeCode', () => {
  it.each(lookAlikes)('maps %s to the canonical code', (_label, spelling) => {
    expect(normalizeCode(spelling)).toBe(CANONICAL);
  });

  it('applies NFKC compatibility forms (ligatures, superscripts, circled digits)', () => {
    expect(normalizeCode('\ufb01x\u00b2\u2460')).toBe('FIX21');
  });

  it('composes a letter and its combining accent into one letter, and keeps it', () => {
    expect(normalizeCode('CAFE\u0301')).toBe('CAFÉ');
  });

  it('keeps letters and digits of other scripts: they are not separators', () => {
    expect(normalizeCode('ΑΒΓ-١٢٣')).toBe('ΑΒΓ١٢٣');
  });

  it('is idempotent', () => {
    for (const [, spelling] of lookAlikes) {
      expect(normalizeCode(normalizeCode(spelling))).toBe(normalizeCode(spelling));
    }
  });

  it('tells genuinely different codes apart', () => {
    expect(normalizeCode('DEMO-AB23-CD45-EF68')).not.toBe(CANONICAL);
  });
});
