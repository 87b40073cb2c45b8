import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Clock } from './clock.js';
import { logFileName, type LogType } from './log-file-name.js';
import { LogsSettingsStore } from './logs-settings.js';

/** A stream unused this long is closed; the next entry reopens it. */
export const IDLE_CLOSE_MS = 5 * 60_000;
const SWEEP_EVERY_MS = 60_000;

interface OpenFile {
  day: string;
  stream: WriteStream;
  lastWriteMs: number;
}

/**
 * Appends lines to `{log_dir}/{app}-{YYYYMMDD}-{type}.log`, keeping one append stream per
 * (app, type): opening a file per entry would cost a syscall pair each time. A new UTC day
 * closes yesterday's stream and opens today's; idle streams are closed; shutdown flushes all.
 */
@Injectable()
export class LogFileWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LogFileWriter.name);
  private readonly open = new Map<string, OpenFile>();
  private readonly closing = new Set<Promise<void>>();
  /** Per path, the close of its previous stream: a reopened stream waits for it, so lines stay in order. */
  private readonly closingPaths = new Map<string, Promise<void>>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly settings: LogsSettingsStore,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    mkdirSync(this.settings.logDir, { recursive: true });
    this.sweepTimer = setInterval(() => this.closeIdle(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  /** Appends one line (without its newline) to the file of `app` (a safe name) for `day`. */
  append(app: string, type: LogType, day: string, line: string): void {
    if (this.closed) return;
    const key = `${app}/${type}`;
    let file = this.open.get(key);
    if (file !== undefined && file.day !== day) {
      this.release(key, file);
      file = undefined;
    }
    if (file === undefined) {
      file = { day, stream: this.openStream(key, join(this.settings.logDir, logFileName(app, day, type))), lastWriteMs: 0 };
      this.open.set(key, file);
    }
    file.lastWriteMs = this.clock.now().getTime();
    // No backpressure handling on purpose: entries are small and rare next to requests; the
    // stream buffers a burst in memory rather than slowing the event loop.
    file.stream.write(`${line}\n`);
  }

  /** Files with an open stream, for tests and diagnostics. */
  openFiles(): string[] {
    return [...this.open.values()].map((file) => file.stream.path.toString());
  }

  /** Closes streams not written to for `IDLE_CLOSE_MS`. */
  closeIdle(): void {
    const now = this.clock.now().getTime();
    for (const [key, file] of this.open) {
      if (now - file.lastWriteMs >= IDLE_CLOSE_MS) this.release(key, file);
    }
  }

  /** Flushes and closes every stream; later entries are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    for (const [key, file] of this.open) this.release(key, file);
    await Promise.all(this.closing);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private openStream(key: string, path: string): WriteStream {
    const stream = createWriteStream(path, { flags: 'a' });
    const previous = this.closingPaths.get(path);
    if (previous !== undefined) {
      // The old stream of this file may still hold lines: hold ours until it has flushed.
      stream.cork();
      void previous.then(() => stream.uncork());
    }
    stream.on('error', (error) => {
      // Disk full, folder removed...: forget the stream so the next entry tries a fresh one.
      this.logger.error(`Cannot write ${path}: ${error.message}`);
      if (this.open.get(key)?.stream === stream) this.open.delete(key);
    });
    return stream;
  }

  private release(key: string, file: OpenFile): void {
    this.open.delete(key);
    const path = file.stream.path.toString();
    const previous = this.closingPaths.get(path) ?? Promise.resolve();
    // end() would flush a corked stream at once: end it only after its predecessor is done.
    const done = previous.then(() => finished(file.stream.end())).catch(() => undefined);
    this.closing.add(done);
    this.closingPaths.set(path, done);
    void done.then(() => {
      this.closing.delete(done);
      if (this.closingPaths.get(path) === done) this.closingPaths.delete(path);
    });
  }
}
