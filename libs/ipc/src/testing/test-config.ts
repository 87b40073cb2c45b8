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
    trustProxy: [],
    rateLimit: { enabled: false, requests: 600, windowS: 60 },
  },
  admin: { host: '127.0.0.1', port: 0, sessionIdleS: 1800, sessionAbsoluteS: 43200, trustProxy: [] },
  push: { broker: 'embedded', host: '127.0.0.1', port: 0, wsPort: 0, retentionHours: 24, external: null },
  db: { slowQueryMs: 500, maxConnections: null, acquireTimeoutMs: 2000, maxWaiting: 1000 },
  metrics: { enabled: false, host: '127.0.0.1', port: 9464, reportIntervalMs: 5000 },
});
