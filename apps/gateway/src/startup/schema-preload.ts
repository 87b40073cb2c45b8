import { Worker } from 'node:worker_threads';
import type { SchemaChunks } from '@sogoms/schema';

/** Longer than any parse: a preload that does not answer by then is given up (the main thread parses). */
const PRELOAD_TIMEOUT_MS = 30_000;

/**
 * The apps' schema files parsed in a worker thread while the main thread loads Nest, Fastify and
 * the gateway's modules: on a cold start of a 1,000-table schema each takes about a second, and
 * the machine has a second core. This module imports nothing heavy, so main.ts can start it first.
 */
export class SchemaPreload {
  private readonly result: Promise<SchemaChunks[]>;

  private constructor(worker: Worker) {
    this.result = new Promise<SchemaChunks[]>((resolve) => {
      const timer = setTimeout(() => {
        resolve([]);
        void worker.terminate();
      }, PRELOAD_TIMEOUT_MS);
      const done = (files: SchemaChunks[]): void => {
        clearTimeout(timer);
        resolve(files);
      };
      worker.once('message', (files: SchemaChunks[]) => done(files));
      // A worker that fails or ends without a word: nothing preloaded.
      worker.once('error', () => done([]));
      worker.once('exit', () => done([]));
    });
  }

  /** Starts the thread; `argv` are the gateway's arguments (`--config <root>`). */
  static start(argv: readonly string[] = process.argv.slice(2)): SchemaPreload {
    const worker = new Worker(new URL('./schema-preload.worker.js', import.meta.url), {
      workerData: { argv: [...argv] },
    });
    // The gateway's exit never waits for it (it ends by itself after writing the caches).
    worker.unref();
    return new SchemaPreload(worker);
  }

  /** The parsed blocks per schema file; empty when the worker failed. */
  files(): Promise<SchemaChunks[]> {
    return this.result;
  }
}
