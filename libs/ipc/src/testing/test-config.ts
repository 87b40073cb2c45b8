import type { GlobalConfig, TransportConfig } from '@sogoms/config';

/** A GlobalConfig with defaults, for transport tests that only need runDir, transport and ipc. */
export const testGlobalConfig = (
  runDir: string,
  transport: TransportConfig,
  timeoutMs = 2000,
): GlobalConfig => ({
  root: runDir,
  runDir,
  logDir: runDir,
  transport,
  ipc: { timeoutMs, maxFrameBytes: 16 * 1024 * 1024 },
  logLevel: 'info',
  gateway: {
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1024 * 1024,
    requestLogPercent: 0,
    trustedProxies: [],
  },
  admin: { host: '127.0.0.1', port: 0 },
  db: { slowQueryMs: 500 },
  metrics: { enabled: false, host: '127.0.0.1', port: 9464, reportIntervalMs: 5000 },
});
