import { PassThrough } from 'node:stream';
import { setImmediate as nextTick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SupervisorLog } from './supervisor-log.js';

const read = (stream: PassThrough): string => (stream.read() as Buffer | null)?.toString() ?? '';

describe('SupervisorLog', () => {
  it("prefixes a child's text lines with its name and passes its JSON lines whole", async () => {
    const out = new PassThrough();
    const log = new SupervisorLog(['gateway', 'db'], out, new PassThrough());
    const child = new PassThrough();
    log.follow('db', child, 'stdout');
    child.write('db listening\n{"level":"info","service":"db","msg":"pools opened"}\n');
    await nextTick();
    const lines = read(out).split('\n');
    expect(lines[0]).toBe('db      | db listening');
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ service: 'db', msg: 'pools opened' });
  });
});
