import type { Logger } from '../../ports/logger.js';

/** Where lines go: `process.stdout` by default; tests hand a collector. */
export interface LogDestination {
  write(line: string): unknown;
}

/** pino's numbers, so log queries written for pino (`level >= 50`) keep working. */
const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof LEVELS;
const THRESHOLDS: Record<string, number> = {
  ...LEVELS,
  trace: 10,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** Keys whose values are never written, at any depth: a second line of defence for codes. */
const REDACTED_KEYS = new Set(['code', 'pin']);
const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

/**
 * Structured JSON logs, one line per call: `{"level":30,"time":"...",...base,...fields,"msg":"..."}`.
 * Our own instead of pino: the same line shape and redaction in 60 lines, where pino was 63 KB
 * and ~15 ms of every Lambda cold start (issue 8, P4). Callers log ids and states only; the
 * redaction is a second line of defence should a code-shaped field ever be logged by mistake.
 */
export function createLogger(
  options: { level?: string; destination?: LogDestination; base?: Record<string, unknown> } = {},
): Logger {
  const threshold = THRESHOLDS[options.level ?? 'info'] ?? LEVELS.info;
  const destination = options.destination ?? process.stdout;
  const base = options.base ?? {};
  const write = (level: Level) => (fields: Record<string, unknown>, msg?: string) => {
    if (LEVELS[level] < threshold) return;
    const line = {
      level: LEVELS[level],
      time: new Date().toISOString(),
      ...base,
      ...(scrub(fields, 0) as Record<string, unknown>),
      ...(msg !== undefined ? { msg } : {}),
    };
    destination.write(`${JSON.stringify(line)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A copy safe to write: redacted keys censored, errors as name, message and stack, cycles cut. */
function scrub(value: unknown, depth: number, seen = new WeakSet<object>()): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[elided]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      REDACTED_KEYS.has(key) ? CENSOR : scrub(child, depth + 1, seen),
    ]),
  );
}
