/**
 * Work split into steps: a generator that yields between steps (e.g. after each table) and
 * returns the result. `runSteps` runs it at once; `runInSlices` runs it in slices of about
 * `sliceMs`, giving the event loop a turn between slices, so a server doing a long rebuild
 * keeps answering requests meanwhile.
 */
export type Steps<T> = Generator<void, T, void>;

export const runSteps = <T>(steps: Steps<T>): T => {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
};

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const runInSlices = async <T>(steps: Steps<T>, sliceMs = 10): Promise<T> => {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
};
