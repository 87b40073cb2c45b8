import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '@sogoms/config';
import { CRYPT_KEYS_FILE, isDemoKeyringFile, readKeyringFile } from '@sogoms/crypt';
import Database from 'better-sqlite3';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { failed, passed, type DoctorFinding } from './doctor-finding.js';

/** SKIP LOCKED, which the queues of the mailer and cron claim rows with. */
const MIN_MARIADB = [10, 6] as const;
/** How far the database's clock may be from this machine's before leases go wrong. */
const MAX_CLOCK_SKEW_S = 5;

const mariaDbVersionFine = (version: string): boolean => {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_MARIADB[0] || (major === MIN_MARIADB[0] && minor >= MIN_MARIADB[1]);
};

const mariaDbChecks = async (app: AppConfig): Promise<DoctorFinding[]> => {
  const db = app.database;
  const where = `MariaDB ${db.user}@${db.host}:${db.port}/${db.name}`;
  const check = `${app.name}: database`;
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      database: db.name,
      connectTimeout: 3_000,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    if (code === 'ER_BAD_DB_ERROR' && db.init.length > 0)
      return [passed(check, `${where} does not exist yet: database.init creates it at the first start`)];
    const fix = code.startsWith('ER_')
      ? `check database.user / database.password / database.name in ${app.name}/app.yaml`
      : 'start MariaDB, or set database.host / database.port';
    return [
      failed(
        check,
        `${where}: ${code}`,
        db.fallback === null ? fix : `${fix} (until then its fallback serves)`,
      ),
    ];
  }
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      'SELECT VERSION() AS version, UNIX_TIMESTAMP(NOW(6)) AS now, (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) AS users',
      [app.auth.usersTable],
    );
    const { version, now, users } = rows[0] as { version: string; now: string | number; users: number };
    const skew = Math.abs(Number(now) - Date.now() / 1000);
    return [
      passed(check, `${where} answers`),
      mariaDbVersionFine(version)
        ? passed(`${app.name}: server version`, version)
        : failed(
            `${app.name}: server version`,
            `${version} is older than MariaDB ${MIN_MARIADB.join('.')}`,
            'upgrade MariaDB (the queues need SKIP LOCKED)',
          ),
      Number(users) > 0
        ? passed(`${app.name}: users table`, `${app.auth.usersTable} exists`)
        : failed(
            `${app.name}: users table`,
            `${app.auth.usersTable} is missing`,
            'create it, or set auth.users_table in app.yaml',
          ),
      skew <= MAX_CLOCK_SKEW_S
        ? passed(`${app.name}: clock`, `the database's clock is ${skew.toFixed(1)} s from this machine's`)
        : failed(
            `${app.name}: clock`,
            `the database's clock is ${skew.toFixed(0)} s from this machine's`,
            'run NTP (chrony or systemd-timesyncd) on both',
          ),
    ];
  } finally {
    await connection.end().catch(() => undefined);
  }
};

const sqliteChecks = (app: AppConfig): DoctorFinding[] => {
  const file = app.database.file!;
  const check = `${app.name}: database`;
  if (!existsSync(file))
    return existsSync(dirname(file)) || app.database.init.length > 0
      ? [passed(check, `SQLite ${file} is created at the first start`)]
      : [failed(check, `SQLite ${file} does not exist`, 'check database.file (relative to the config root)')];
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const users = db
        .prepare("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?")
        .pluck()
        .get(app.auth.usersTable) as number;
      return [
        passed(check, `SQLite ${file} opens`),
        users > 0
          ? passed(`${app.name}: users table`, `${app.auth.usersTable} exists`)
          : failed(
              `${app.name}: users table`,
              `${app.auth.usersTable} is missing`,
              'create it, or set auth.users_table in app.yaml',
            ),
      ];
    } finally {
      db.close();
    }
  } catch (error) {
    return [
      failed(
        check,
        `SQLite ${file}: ${(error as { code?: string }).code ?? 'cannot be opened'}`,
        'check the file and its permissions',
      ),
    ];
  }
};

const isDemoKeys = (file: string): boolean => {
  try {
    return isDemoKeyringFile(file);
  } catch {
    return false;
  }
};

/** Every file of secrets/ mode 600 (or stricter), and the keys file loading. */
const secretsChecks = (app: AppConfig): DoctorFinding[] => {
  const dir = join(app.dir, 'secrets');
  if (!existsSync(dir)) return [];
  const findings: DoctorFinding[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    // A demo's keys ship in the repository and say so: not secret, whatever the mode.
    if (file === join(app.dir, CRYPT_KEYS_FILE) && isDemoKeys(file)) {
      findings.push(passed(`${app.name}: secrets`, `secrets/${name} holds demo keys (not secret)`));
      continue;
    }
    const mode = statSync(file).mode & 0o777;
    findings.push(
      (mode & 0o077) === 0
        ? passed(`${app.name}: secrets`, `secrets/${name} is private (${mode.toString(8)})`)
        : failed(
            `${app.name}: secrets`,
            `secrets/${name} is readable by others (${mode.toString(8)})`,
            `chmod 600 ${file}`,
          ),
    );
  }
  const keys = join(app.dir, CRYPT_KEYS_FILE);
  if (existsSync(keys)) {
    try {
      readKeyringFile(keys, app.name);
      findings.push(passed(`${app.name}: keys`, `${CRYPT_KEYS_FILE} loads`));
    } catch (error) {
      findings.push(
        failed(`${app.name}: keys`, (error as Error).message, 'restore the file from its backup'),
      );
    }
  }
  return findings;
};

export const appChecks = async (app: AppConfig): Promise<DoctorFinding[]> => [
  ...(app.database.driver === 'sqlite' ? sqliteChecks(app) : await mariaDbChecks(app)),
  ...secretsChecks(app),
];
