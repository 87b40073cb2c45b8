import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string): string => fileURLToPath(new URL(`./libs/${name}/src/index.ts`, import.meta.url));
const testing = (name: string): string =>
  fileURLToPath(new URL(`./libs/${name}/src/testing/index.ts`, import.meta.url));

const serial = process.env.SOGOMS_TEST_SERIAL === '1';

export default defineConfig({
  // esbuild cannot emit decorator metadata, which Nest's dependency injection needs: compile with swc.
  plugins: [
    swc.vite({
      tsconfigFile: false,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
  resolve: {
    // First match wins and a key also matches `key/...`: the `/testing`, `/logging` and `/dialect` entries come first.
    alias: {
      '@sogoms/common/logging': fileURLToPath(new URL('./libs/common/src/logging/index.ts', import.meta.url)),
      '@sogoms/config/testing': testing('config'),
      '@sogoms/schema/testing': testing('schema'),
      '@sogoms/db/testing': testing('db'),
      '@sogoms/db/dialect': fileURLToPath(new URL('./libs/db/src/dialect/index.ts', import.meta.url)),
      '@sogoms/metrics/standalone': fileURLToPath(
        new URL('./libs/metrics/src/standalone.ts', import.meta.url),
      ),
      '@sogoms/crypt/ipc': fileURLToPath(new URL('./libs/crypt/src/ipc/index.ts', import.meta.url)),
      '@sogoms/common': lib('common'),
      '@sogoms/config': lib('config'),
      '@sogoms/ipc': lib('ipc'),
      '@sogoms/auth': lib('auth'),
      '@sogoms/crypt': lib('crypt'),
      '@sogoms/schema': lib('schema'),
      '@sogoms/db': lib('db'),
      '@sogoms/metrics': lib('metrics'),
      '@sogoms/admin-users': lib('admin-users'),
      '@sogoms/provisioning': lib('provisioning'),
    },
  },
  test: {
    // `*.serial.e2e.spec.ts` bound how long something takes on this machine: scripts/run-tests.mjs
    // runs them after the rest, one at a time (SOGOMS_TEST_SERIAL=1), so parallel files cannot skew them.
    include: serial
      ? ['test/**/*.serial.e2e.spec.ts']
      : ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.e2e.spec.ts'],
    exclude: serial ? [] : ['**/node_modules/**', 'test/**/*.serial.e2e.spec.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share one MariaDB and one CPU pair: two at a time keeps them honest and fast enough.
    maxWorkers: serial ? 1 : 2,
    // CI reads the JSON report to print its `N passed, N failed` line (scripts/test-summary.mjs).
    reporters: process.env.SOGOMS_TEST_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.SOGOMS_TEST_REPORT
      ? { json: serial ? `${process.env.SOGOMS_TEST_REPORT}.serial` : process.env.SOGOMS_TEST_REPORT }
      : undefined,
  },
});
