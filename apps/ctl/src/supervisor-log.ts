import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const SELF = 'sogoctl';

const isJsonLine = (text: string): boolean => text.startsWith('{') && text.endsWith('}');

/**
 * The supervisor's terminal output: its own events and every child's lines, each prefixed with
 * the name it came from (`db      | ...`), like docker compose, so interleaved output stays readable.
 * A child's JSON log line (it names its `service` itself) passes unprefixed, so it stays JSON.
 */
export class SupervisorLog {
  private readonly width: number;

  constructor(
    serviceNames: readonly string[],
    private readonly out: Writable = process.stdout,
    private readonly err: Writable = process.stderr,
  ) {
    this.width = Math.max(SELF.length, ...serviceNames.map((name) => name.length));
  }

  /** A supervisor event about one service (`db: started (pid 1234)`) or about itself. */
  event(service: string | null, message: string): void {
    this.out.write(this.line(SELF, service === null ? message : `${service}: ${message}`));
  }

  error(message: string): void {
    this.err.write(this.line(SELF, message));
  }

  /** Forwards a child's stream line by line; stdout lines go to stdout, stderr lines to stderr. */
  follow(service: string, stream: Readable, kind: 'stdout' | 'stderr'): void {
    const target = kind === 'stdout' ? this.out : this.err;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (text) => target.write(isJsonLine(text) ? `${text}\n` : this.line(service, text)));
  }

  private line(source: string, text: string): string {
    return `${source.padEnd(this.width)} | ${text}\n`;
  }
}
