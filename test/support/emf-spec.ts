/**
 * The CloudWatch embedded metric format specification's rules, as a checker: the root's `_aws`
 * metadata (Timestamp in epoch milliseconds, CloudWatchMetrics directives), each directive's
 * Namespace, Dimensions (arrays of up to 30 keys, each a string member of the root) and Metrics
 * (up to 100, each Name a numeric member of the root, Unit one of CloudWatch's units). Returns
 * what is wrong; empty when the document is valid.
 */
const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 1024;
const isNumeric = (v: unknown) =>
  (typeof v === 'number' && Number.isFinite(v)) ||
  (Array.isArray(v) && v.length > 0 && v.length <= 100 && v.every((x) => typeof x === 'number'));

export function emfViolations(document: unknown): string[] {
  const wrong: string[] = [];
  if (!isObject(document)) return ['the document is not a JSON object'];
  const aws = document._aws;
  if (!isObject(aws)) return ['no _aws metadata object'];
  if (!Number.isInteger(aws.Timestamp) || (aws.Timestamp as number) < 1e12) {
    wrong.push('_aws.Timestamp is not epoch milliseconds');
  }
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives) || directives.length === 0)
    return [...wrong, 'no CloudWatchMetrics directive'];
  for (const [i, d] of directives.entries()) {
    const at = `CloudWatchMetrics[${i}]`;
    if (!isObject(d)) {
      wrong.push(`${at} is not an object`);
      continue;
    }
    if (!isName(d.Namespace)) wrong.push(`${at}.Namespace is not a name`);
    if (!Array.isArray(d.Dimensions)) wrong.push(`${at}.Dimensions is not an array`);
    for (const set of Array.isArray(d.Dimensions) ? d.Dimensions : []) {
      if (!Array.isArray(set) || set.length > 30) wrong.push(`${at}: a dimension set is not 0..30 keys`);
      for (const key of Array.isArray(set) ? set : []) {
        if (!isName(key) || typeof document[key] !== 'string')
          wrong.push(`${at}: dimension ${key} is not a string member`);
      }
    }
    if (!Array.isArray(d.Metrics) || d.Metrics.length > 100)
      wrong.push(`${at}.Metrics is not 0..100 metrics`);
    for (const m of Array.isArray(d.Metrics) ? d.Metrics : []) {
      if (!isObject(m) || !isName(m.Name)) {
        wrong.push(`${at}: a metric has no Name`);
        continue;
      }
      if (!isNumeric(document[m.Name])) wrong.push(`${at}: metric ${m.Name} has no numeric member`);
      if (m.Unit !== undefined && !UNITS.has(m.Unit as string))
        wrong.push(`${at}: metric ${m.Name} has unit ${m.Unit}`);
      if (m.StorageResolution !== undefined && m.StorageResolution !== 1 && m.StorageResolution !== 60) {
        wrong.push(`${at}: metric ${m.Name} has a bad StorageResolution`);
      }
    }
  }
  return wrong;
}
