// `npm test`: the suite in parallel, then the `.serial` specs alone (see vitest.config.ts).
// Both always run; the exit code is the worse of the two.
import { spawnSync } from 'node:child_process';

const vitest = (env) =>
  spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;

const parallel = vitest({});
const serial = vitest({ SOGOMS_TEST_SERIAL: '1' });
process.exit(parallel !== 0 ? parallel : serial);
