import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConfigFixture, type ConfigFixture } from '@sogoms/config/testing';
import { adminConnection, dropDatabases, testDatabaseName } from '@sogoms/db/testing';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliContext } from '../cli-context.js';
import type { DoctorFinding } from '../doctor/doctor-finding.js';
import { doctorCommand, type DoctorOptions } from './doctor.command.js';

const DATABASE = testDatabaseName('doctor');

describe('sogoms doctor', () => {
  let fixture: ConfigFixture;
  let out: string[];
  const ctx = (options: DoctorOptions = {}): CliContext<DoctorOptions> => ({
    args: [],
    options,
    configRoot: fixture.root,
    out: (line) => out.push(line),
    err: () => undefined,
  });
  const findings = async (): Promise<{ code: number; findings: DoctorFinding[] }> => {
    out = [];
    const code = await doctorCommand.run(ctx({ json: true }));
    return { code, findings: JSON.parse(out.join('\n')) as DoctorFinding[] };
  };
  const finding = (all: DoctorFinding[], check: string): DoctorFinding | undefined =>
    all.find((f) => f.check === check);

  beforeAll(async () => {
    const admin = await adminConnection();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.query(`CREATE TABLE ${DATABASE}.users (id INT PRIMARY KEY)`);
    await admin.end();
  });
  afterAll(() => dropDatabases([DATABASE]));
  beforeEach(() => {
    fixture = createConfigFixture();
    fixture.write('sogoms.yaml', { gateway: { port: 0 } });
  });
  afterEach(() => fixture.remove());

  it('says ok for a sound app and exits 0', async () => {
    fixture.app('shop', { database: { name: DATABASE } });
    const { code, findings: all } = await findings();
    expect(all.filter((f) => !f.ok)).toEqual([]);
    expect(code).toBe(0);
    expect(all.map((f) => f.check)).toEqual(
      expect.arrayContaining([
        'node',
        'config',
        'run_dir',
        'port',
        'shop: database',
        'shop: users table',
        'shop: clock',
      ]),
    );
    out = [];
    await doctorCommand.run(ctx());
    expect(out.join('\n')).toMatch(/^ok\s+shop: database\s+MariaDB root@127\.0\.0\.1:3306\//m);
  });

  it('names each problem with its fix and exits 1', async () => {
    fixture.app('shop', { database: { name: DATABASE, password: 'wrong-password' } });
    fixture.app('lite', { database: { driver: 'sqlite', name: undefined, file: 'var/lite.sqlite' } });
    mkdirSync(join(fixture.root, 'var'));
    const lite = new Database(join(fixture.root, 'var/lite.sqlite'));
    lite.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    lite.close();
    chmodSync(fixture.write('apps/lite/secrets/smtp.pass', 'secret'), 0o644);
    const { code, findings: all } = await findings();
    expect(code).toBe(1);
    expect(finding(all, 'shop: database')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('ER_ACCESS_DENIED_ERROR'),
      fix: 'check database.user / database.password / database.name in shop/app.yaml',
    });
    expect(finding(all, 'lite: users table')).toMatchObject({ ok: false, detail: 'users is missing' });
    expect(finding(all, 'lite: secrets')).toMatchObject({
      ok: false,
      detail: 'secrets/smtp.pass is readable by others (644)',
    });
  });

  it('reports a configuration that does not load, line by line', async () => {
    fixture.app('shop', { database: { pool_size: 0 } });
    const { code, findings: all } = await findings();
    expect(code).toBe(1);
    expect(finding(all, 'config')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('database.pool_size'),
    });
  });
});
