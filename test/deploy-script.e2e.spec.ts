import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { dropDatabase } from './support/stack.js';
import { PROJECT_ROOT, writeTestConfig, type TestConfig } from './support/test-config.factory.js';

const DB = `sogoms_test_deploy_${randomBytes(3).toString('hex')}`;
const SECRET = 'deploy-e2e-secret-0123456789abcdef0123456789';
const mariadb = (sql: string): string =>
  execFileSync('mariadb', ['--protocol=tcp', '-h', '127.0.0.1', '-u', 'root', '-N', '-e', sql], {
    encoding: 'utf8',
  });

/**
 * deploy/deploy.sh end to end into a temporary prefix: real releases, a real supervisor started
 * from `current`, real mariadb-dump backups. The build reuses this checkout's node_modules and
 * dist (a full `npm ci` would take minutes); the broken build is one whose gateway cannot start.
 */
describe('deploy/deploy.sh into a temporary prefix', () => {
  let config: TestConfig;
  let prefix: string;
  let backups: string;
  let env: NodeJS.ProcessEnv;
  const reuse = `ln -s ${PROJECT_ROOT}/node_modules node_modules && cp -a ${PROJECT_ROOT}/dist dist`;
  const deploy = (args: string[], build = reuse) =>
    spawnSync('bash', [join(PROJECT_ROOT, 'deploy/deploy.sh'), ...args], {
      env: { ...env, SOGOMS_BUILD: build },
      encoding: 'utf8',
      timeout: 120_000,
    });
  const current = (): string => realpathSync(join(prefix, 'current'));

  beforeAll(async () => {
    config = writeTestConfig(await freePort(), [
      { name: 'shop', hosts: ['shop.test'], database: DB, secret: SECRET, initFromDemo: true },
    ]);
    prefix = join(config.dir, 'opt');
    backups = join(config.dir, 'backups');
    // Entries relative to the project root: each release runs its own build.
    const ctlFile = join(config.configRoot, 'sogoctl.yaml');
    const ctl = parse(readFileSync(ctlFile, 'utf8')) as { services: { entry: string }[] };
    for (const service of ctl.services) service.entry = service.entry.slice(PROJECT_ROOT.length + 1);
    writeFileSync(ctlFile, stringify(ctl));
    // What systemctl restart does, for a supervisor that is not under systemd.
    const restart = join(config.dir, 'restart.sh');
    writeFileSync(
      restart,
      [
        `node ${prefix}/current/bin/sogoms.js stop --config ${config.configRoot} >/dev/null 2>&1 || true`,
        `for _ in $(seq 1 100); do [ -e ${config.runDir}/sogoctl.pid ] || break; sleep 0.1; done`,
        `setsid node ${prefix}/current/dist/bundle/ctl/main.js --config ${config.configRoot} >> ${config.dir}/ctl.log 2>&1 < /dev/null &`,
      ].join('\n'),
    );
    env = {
      ...process.env,
      SOGOMS_PREFIX: prefix,
      SOGOMS_CONFIG: config.configRoot,
      SOGOMS_SOURCE: PROJECT_ROOT,
      SOGOMS_BACKUP_DIR: backups,
      SOGOMS_SMOKE: 'node -e "process.exit(0)"',
      SOGOMS_RESTART: `bash ${restart}`,
      SOGOMS_HEALTH_URL: `http://127.0.0.1:${config.gatewayPort}/health/ready`,
      SOGOMS_HEALTH_TIMEOUT_S: '30',
    };
  });

  afterAll(async () => {
    if (prefix && existsSync(join(prefix, 'current'))) {
      spawnSync('node', [join(prefix, 'current/bin/sogoms.js'), 'stop', '--config', config.configRoot]);
    }
    await dropDatabase(DB);
    if (config) rmSync(config.dir, { recursive: true, force: true });
  });

  it('deploys twice, rolls a broken third back by itself, and rolls back by hand', () => {
    const first = deploy([]);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const release1 = current();
    expect(first.stdout).toContain('healthy');
    const second = deploy([]);
    expect(second.status, second.stderr + second.stdout).toBe(0);
    const release2 = current();
    expect(release2).not.toBe(release1);

    const broken = deploy([], `${reuse} && echo 'process.exit(3)' > dist/bundle/gateway/main.js`);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`rolled back to ${release2} (healthy)`);
    expect(current()).toBe(release2);
    expect(readdirSync(join(prefix, 'releases')).some((name) => name.endsWith('.failed'))).toBe(true);

    const back = deploy(['rollback']);
    expect(back.status, back.stderr + back.stdout).toBe(0);
    expect(current()).toBe(release1);
    expect(readlinkSync(join(prefix, 'current'))).toBe(release1);
  }, 300_000);

  it('kept one backup per deploy: the config and each app’s database, which restores with mariadb', () => {
    const folders = readdirSync(backups).sort();
    expect(folders).toHaveLength(3);
    const last = join(backups, folders[2]);
    expect(readdirSync(last).sort()).toEqual(['config.tar.gz', 'shop.sql.gz']);
    expect(execFileSync('tar', ['-tzf', join(last, 'config.tar.gz')], { encoding: 'utf8' })).toContain(
      'config/apps/shop/app.yaml',
    );
    const users = mariadb(`SELECT COUNT(*) FROM \`${DB}\`.users`).trim();
    expect(Number(users)).toBeGreaterThan(0);
    mariadb(`DROP TABLE \`${DB}\`.task_tags; DELETE FROM \`${DB}\`.tasks`);
    execFileSync('bash', [
      '-c',
      `gunzip -c ${join(last, 'shop.sql.gz')} | mariadb --protocol=tcp -h 127.0.0.1 -u root`,
    ]);
    expect(mariadb(`SELECT COUNT(*) FROM \`${DB}\`.users`).trim()).toBe(users);
    expect(Number(mariadb(`SELECT COUNT(*) FROM \`${DB}\`.tasks`).trim())).toBeGreaterThan(0);
  });
});
