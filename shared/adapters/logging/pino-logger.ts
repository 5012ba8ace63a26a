import { type DestinationStream, pino } from 'pino';
import type { Logger } from '../../ports/logger.js';

/**
 * Structured JSON logs (pino). Callers log ids and states only; the redaction below is a
 * second line of defence should a code-shaped field ever be logged by mistake.
 */
export function createLogger(
  options: { level?: string; destination?: DestinationStream; base?: Record<string, unknown> } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? {},
      redact: {
        paths: ['code', 'pin', '*.code', '*.pin', 'cards[*].code', 'cards[*].pin'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
