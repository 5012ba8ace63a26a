import { describe, expect, it } from 'vitest';
import { parseDepositLines } from '../../shared/http/pages/deposit-lines.js';
import { chooseLang } from '../../shared/http/pages/page-text.js';

describe('parseDepositLines', () => {
  it('takes one code per line and a PIN after a tab, a comma or a semicolon', () => {
    expect(parseDepositLines('AAAA-1111\nBBBB-2222\t1234\nCCCC,5678\r\nDDDD;9012\n')).toEqual([
      { code: 'AAAA-1111' },
      { code: 'BBBB-2222', pin: '1234' },
      { code: 'CCCC', pin: '5678' },
      { code: 'DDDD', pin: '9012' },
    ]);
  });

  it('keeps spaces inside a code (printed groups), drops blank lines, trims', () => {
    expect(parseDepositLines('  ABCD EFGH IJKL  \n\n   \nMNOP QRST , 42 ')).toEqual([
      { code: 'ABCD EFGH IJKL' },
      { code: 'MNOP QRST', pin: '42' },
    ]);
  });

  it('reads a CSV: a header row skipped, quotes removed, further columns ignored, an empty PIN is none', () => {
    expect(parseDepositLines('"code","pin","note"\n"AAAA","1234","x"\nBBBB,,y\n')).toEqual([
      { code: 'AAAA', pin: '1234' },
      { code: 'BBBB' },
    ]);
    expect(parseDepositLines('Code\nAAAA')).toEqual([{ code: 'AAAA' }]);
    // Only the first line can be a header: a code that happens to be "CODE" later is a code.
    expect(parseDepositLines('AAAA\ncode')).toEqual([{ code: 'AAAA' }, { code: 'code' }]);
  });

  it("reads a script's batch (headers already dropped) with no header row: a first line like one is a code", () => {
    expect(parseDepositLines('code,1234\nAAAA', { header: 'none' })).toEqual([
      { code: 'code', pin: '1234' },
      { code: 'AAAA' },
    ]);
  });
});

describe('chooseLang', () => {
  it('takes the switch first, then the highest-weighted language the pages speak, else English', () => {
    expect(chooseLang('en', 'zh-CN')).toBe('en');
    expect(chooseLang('zh-CN', 'en')).toBe('zh-CN');
    expect(chooseLang(undefined, 'zh-TW,zh;q=0.9')).toBe('zh-CN');
    expect(chooseLang(undefined, 'fr;q=1, en;q=0.5, zh;q=0.8')).toBe('zh-CN');
    expect(chooseLang(undefined, 'de, en-GB;q=0.3')).toBe('en');
    expect(chooseLang(undefined, 'zh;q=0, en;q=0.1')).toBe('en');
    expect(chooseLang('xx', undefined)).toBe('en');
    expect(chooseLang(undefined, 'zhx, fr')).toBe('en');
  });
});
