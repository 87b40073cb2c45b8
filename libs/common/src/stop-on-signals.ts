/**
 * Stops a service on SIGTERM or SIGINT: runs `close` once, then exits 0 (1 when `close` throws),
 * so the supervisor sees a clean exit. Not Nest's `enableShutdownHooks`: after its hooks it
 * re-raises the signal, and the process ends "killed by SIGTERM"; SIGHUP means reload here.
 */
export const stopOnSignals = (close: () => Promise<void>): void => {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};
