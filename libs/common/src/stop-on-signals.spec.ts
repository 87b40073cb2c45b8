import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built module (npm test builds first): a child process is what receives the signal.
const built = fileURLToPath(new URL('../../../dist/libs/common/src/stop-on-signals.js', import.meta.url));

/** Starts a process that calls stopOnSignals, sends it `signal`, and answers how it ended. */
const stopWith = async (
  signal: NodeJS.Signals,
  close: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> => {
  const script =
    `import { stopOnSignals } from ${JSON.stringify(built)};\n` +
    `stopOnSignals(${close});\n` +
    `setInterval(() => {}, 1000);\n` +
    `console.log('ready');\n`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready')) resolve();
    }),
  );
  child.kill(signal);
  const [code, ended] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal: ended, out };
};

describe('stopOnSignals', () => {
  it('runs close once and exits 0 on SIGTERM and on SIGINT (not killed by the signal)', async () => {
    const close = `async () => { console.log('closed'); await new Promise((r) => setTimeout(r, 50)); }`;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const ended = await stopWith(signal, close);
      expect(ended).toMatchObject({ code: 0, signal: null });
      expect(ended.out.match(/closed/g)).toHaveLength(1);
    }
  });

  it('exits 1 when close fails', async () => {
    expect(await stopWith('SIGTERM', `async () => { throw new Error('no'); }`)).toMatchObject({
      code: 1,
      signal: null,
    });
  });
});
