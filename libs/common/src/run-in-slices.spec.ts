import { describe, expect, it } from 'vitest';
import { runInSlices, runSteps, type Steps } from './run-in-slices.js';

function* counting(steps: number, done: string[]): Steps<number> {
  for (let i = 0; i < steps; i++) {
    done.push(`step ${i}`);
    yield;
  }
  return steps;
}

describe('runSteps / runInSlices', () => {
  it('runSteps runs every step at once and returns the result', () => {
    const done: string[] = [];
    expect(runSteps(counting(3, done))).toBe(3);
    expect(done).toEqual(['step 0', 'step 1', 'step 2']);
  });

  it('runInSlices gives the event loop a turn between slices (sliceMs 0: between steps)', async () => {
    const done: string[] = [];
    setImmediate(() => done.push('other work'));
    expect(await runInSlices(counting(3, done), 0)).toBe(3);
    expect(done.indexOf('other work')).toBeGreaterThan(0);
    expect(done.indexOf('other work')).toBeLessThan(done.length - 1);
  });

  it('runInSlices rejects with what a step throws', async () => {
    function* failing(): Steps<void> {
      yield;
      throw new Error('step failed');
    }
    await expect(runInSlices(failing(), 0)).rejects.toThrow('step failed');
  });
});
