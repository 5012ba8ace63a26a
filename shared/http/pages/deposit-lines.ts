/** One pasted or uploaded line: a code and, after the separator, its PIN. */
export interface DepositLine {
  readonly code: string;
  readonly pin?: string;
}

/**
 * The separators between a code and its PIN: tab, comma or semicolon (a spreadsheet's paste, a
 * CSV). Not a space: codes are often printed in groups ("ABCD EFGH IJKL"), and spaces inside a
 * code are removed by its normalisation anyway.
 */
const SEPARATOR = /[\t,;]/;
/**
 * A first line naming the columns (`code,pin`, `"Code"`) is a header, not a code. Exported with
 * LINE_BREAK for page.js, which splits each source by the same rule before sending its batches.
 */
export const HEADER = /^\s*"?code"?\s*([\t,;]|$)/i;
export const LINE_BREAK = /\r?\n/;

const unquote = (value: string) =>
  value
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();

/**
 * The textarea's lines (one code per line) and a CSV file's rows alike: blank lines dropped,
 * a header row skipped, a PIN after the first separator (further columns ignored). A batch the
 * page's script sends is the middle of what the seller gave, headers already dropped by the
 * script: `header: 'none'` reads its first line as the code it is.
 */
export function parseDepositLines(text: string, options: { header?: 'skip' | 'none' } = {}): DepositLine[] {
  const lines = text.split(LINE_BREAK).filter((line) => line.trim() !== '');
  if (options.header !== 'none' && lines[0] !== undefined && HEADER.test(lines[0])) lines.shift();
  return lines.map((line) => {
    const [code = '', pin = ''] = line.split(SEPARATOR).map(unquote);
    return pin === '' ? { code } : { code, pin };
  });
}
