import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

// Loaded only when asked for: most processes never print for people.
const loadPretty = (): typeof PinoPretty =>
  createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;

export interface ServiceLogOptions {
  /** The least severe level written: fatal, error, warn, info, debug or trace. */
  level: string;
  /** Coloured lines for people instead of JSON lines. */
  pretty?: boolean;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

/**
 * A service's own log: one JSON object per line on stdout with `time`, `level` (as a word) and
 * `service`. Writes are synchronous so that the lines before a crash are not lost.
 */
export const createServiceLog = (service: string, options: ServiceLogOptions): Logger => {
  const destination =
    options.destination ??
    (options.pretty === true
      ? loadPretty()({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level: options.level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
};
