import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PinoLoggerService } from './pino-logger.service.js';
import { prettyLogRequested } from './pretty-log-requested.js';
import { createServiceLog } from './service-log.js';

const collect = (level: string): { logger: PinoLoggerService; lines: () => Record<string, unknown>[] } => {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = new PinoLoggerService(createServiceLog('gateway', { level, destination }));
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
};

describe('PinoLoggerService', () => {
  it('writes one JSON object per line with level, service, context and message', () => {
    const { logger, lines } = collect('info');
    logger.log('pools reloaded', 'db');
    logger.warn('slow');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', service: 'gateway', context: 'db', msg: 'pools reloaded' }),
      expect.objectContaining({ level: 'warn', service: 'gateway', msg: 'slow' }),
    ]);
    expect(typeof lines()[0]?.time).toBe('string');
  });

  it("keeps an error's stack in its own field", () => {
    const { logger, lines } = collect('info');
    logger.error('boom', 'Error: boom\n    at x.js:1', 'Gateway');
    expect(lines()[0]).toMatchObject({
      level: 'error',
      msg: 'boom',
      context: 'Gateway',
      stack: 'Error: boom\n    at x.js:1',
    });
  });

  it("prints Nest's route table only at debug", () => {
    const quiet = collect('info');
    quiet.logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    expect(quiet.lines()).toEqual([]);
    const verbose = collect('debug');
    verbose.logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    expect(verbose.lines()[0]).toMatchObject({ level: 'debug', context: 'RouterExplorer' });
  });

  it('drops what is below the configured level', () => {
    const { logger, lines } = collect('warn');
    logger.log('started');
    logger.debug('detail');
    logger.error('failed');
    expect(lines().map((line) => line.level)).toEqual(['error']);
  });
});

describe('prettyLogRequested', () => {
  it('is on with --pretty or SOGOMS_LOG_PRETTY=1, off otherwise', () => {
    expect(prettyLogRequested(['node', 'main.js', '--pretty'], {})).toBe(true);
    expect(prettyLogRequested(['node', 'main.js'], { SOGOMS_LOG_PRETTY: '1' })).toBe(true);
    expect(prettyLogRequested(['node', 'main.js'], { SOGOMS_LOG_PRETTY: '0' })).toBe(false);
  });
});
