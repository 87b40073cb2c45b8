import { SogomsError } from '@sogoms/common';

/** The SogomsError a promise rejects with; anything else (or success) fails the test. */
export const failureOf = async (promise: Promise<unknown>): Promise<SogomsError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SogomsError) return error;
    throw new Error(`expected a SogomsError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
};
