import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';

const collect = (level?: string, base?: Record<string, unknown>) => {
  const lines: string[] = [];
  const logger = createLogger({
    ...(level ? { level } : {}),
    ...(base ? { base } : {}),
    destination: { write: (line) => lines.push(line) },
  });
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), raw: lines };
};

describe('the JSON-lines logger', () => {
  it('writes one JSON line per call with the level number, an ISO time, the base, the fields and msg', () => {
    const { logger, lines, raw } = collect('info', { fn: 'reveal' });
    logger.info({ route: '/v1/orders/:orderId', status: 200 }, 'request');
    expect(raw[0]?.endsWith('\n')).toBe(true);
    expect(lines()).toEqual([
      {
        level: 30,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        fn: 'reveal',
        route: '/v1/orders/:orderId',
        status: 200,
        msg: 'request',
      },
    ]);
  });

  it('drops what is below its level, and writes nothing when silent', () => {
    const info = collect('info');
    info.logger.debug({ a: 1 }, 'hidden');
    info.logger.warn({ a: 2 }, 'shown');
    expect(info.lines().map((l) => [l.level, l.msg])).toEqual([[40, 'shown']]);
    const silent = collect('silent');
    silent.logger.error({ a: 3 }, 'never');
    expect(silent.raw).toEqual([]);
  });

  it('censors code and PIN fields at any depth, and writes errors as type, message and stack', () => {
    const { logger, raw, lines } = collect('debug');
    logger.error(
      {
        code: 'DEMO-1234',
        card: { pin: '9876' },
        cards: [{ code: 'DEMO-5678' }],
        err: new TypeError('boom'),
      },
      'oops',
    );
    expect(raw.join('')).not.toMatch(/DEMO-1234|9876|DEMO-5678/);
    expect(lines()[0]).toMatchObject({
      code: '[redacted]',
      card: { pin: '[redacted]' },
      cards: [{ code: '[redacted]' }],
      err: { type: 'TypeError', message: 'boom', stack: expect.stringContaining('TypeError') },
    });
  });

  it('survives cycles and deep objects', () => {
    const { logger, lines } = collect();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info({ loop }, 'cyclic');
    expect(lines()[0]).toMatchObject({ loop: { name: 'loop', self: '[elided]' } });
  });
});
