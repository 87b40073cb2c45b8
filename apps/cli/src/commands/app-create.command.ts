import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, normalizeHost } from '@sogoms/config';
import { SAFE_IDENTIFIER, scanSchema, schemaFromDatabase, type RawDatabase } from '@sogoms/schema';
import { writeAppFolder } from '../app-folder.writer.js';
import { CliFailure, EXIT, type CliCommand, type CliContext } from '../cli-context.js';
import { withAppDatabase, type AppDatabase } from '../database-connection.js';
import { parseDatabaseUrl, redactedUrl } from '../database-url.js';
import {
  addRoleColumnSql,
  createSogomsUsersSql,
  ROLE_COLUMN,
  SOGOMS_USERS_AUTH,
  SOGOMS_USERS_TABLE,
} from '../sogoms-users.table.js';
import { describeReload, SupervisorClient } from '../supervisor-client.js';
import { detectUsersTable, usersTableFit, type UsersTableAuth } from '../users-table.detector.js';

/** The rules of app.yaml's `name` and `base_path` (libs/config/src/app-config.schema.ts), checked before anything is written. */
const APP_NAME = /^[a-z][a-z0-9_-]*$/;
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

interface CreateRequest {
  name: string;
  hosts: string[];
  basePath: string;
  authTable: string | undefined;
  addRoleColumn: boolean;
}

/** What `app create` takes (declared in app.command.ts; commander enforces the required ones). */
export interface AppCreateOptions {
  databaseUrl: string;
  host: string;
  authTable?: string;
  basePath?: string;
  addRoleColumn?: boolean;
}

const parseRequest = (ctx: CliContext<AppCreateOptions>): CreateRequest => {
  const name = ctx.args[0];
  if (name === undefined)
    throw new CliFailure('name the new app, e.g. `sogoms app create shop --database-url ...`');
  if (ctx.args.length > 1) throw new CliFailure(`one app name, got ${ctx.args.join(' ')}`);
  if (!APP_NAME.test(name))
    throw new CliFailure(`app name ${JSON.stringify(name)} must match [a-z][a-z0-9_-]*`);
  const hosts = ctx.options.host.split(',').map((host) => {
    const normalized = normalizeHost(host);
    if (normalized === undefined)
      throw new CliFailure(
        `--host: ${JSON.stringify(host)} is not a host name or IP address (no port, no scheme)`,
      );
    return normalized;
  });
  if (new Set(hosts).size !== hosts.length) throw new CliFailure('--host lists a host twice');
  const basePath = ctx.options.basePath ?? '/api';
  if (!BASE_PATH.test(basePath))
    throw new CliFailure(
      `--base-path ${JSON.stringify(basePath)} must start with / and have no trailing slash (e.g. /api)`,
    );
  const authTable = ctx.options.authTable;
  if (authTable !== undefined && !SAFE_IDENTIFIER.test(authTable))
    throw new CliFailure(`--auth-table ${JSON.stringify(authTable)} is not a table name SOGOMS accepts`);
  return { name, hosts, basePath, authTable, addRoleColumn: ctx.options.addRoleColumn === true };
};

/** The name and hosts must be free in the configuration as it is now (which must load). */
const checkFreeInConfig = (configRoot: string, request: CreateRequest): string => {
  const { global, apps } = loadConfig(configRoot);
  if (existsSync(join(configRoot, 'apps', request.name)))
    throw new CliFailure(
      `config/apps/${request.name} already exists: choose another name or remove that folder`,
    );
  for (const host of request.hosts) {
    const owner = apps.find((app) => app.hosts.includes(host));
    if (owner !== undefined) throw new CliFailure(`host ${host} is already served by app '${owner.name}'`);
  }
  return global.runDir;
};

interface PreparedDatabase {
  auth: UsersTableAuth;
  raw: RawDatabase;
  /** What was found or done, for the person running the command. */
  notes: string[];
}

const driverCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'unknown error';

const ddl = async (db: AppDatabase, sql: string, what: string): Promise<void> => {
  try {
    await db.execute(sql);
  } catch (error) {
    throw new CliFailure(
      `cannot ${what} (${driverCode(error)}): give the database user that right, or use --auth-table`,
    );
  }
};

/**
 * Finds the users table (the one named by --auth-table, or the one detected), creates
 * sogoms_users when there is none, adds a role column when asked, and reads the database as it
 * is then. Writes to the database only what a working users table needs.
 */
const prepareDatabase = async (db: AppDatabase, request: CreateRequest): Promise<PreparedDatabase> => {
  const notes: string[] = [];
  const read = (): Promise<RawDatabase> => db.introspect();
  let raw = await read();
  const model = schemaFromDatabase(raw).schema;
  let auth: UsersTableAuth;
  if (request.authTable !== undefined) {
    const table = model.tables.find((candidate) => candidate.name === request.authTable);
    if (table === undefined)
      throw new CliFailure(`--auth-table: database '${db.name}' has no table ${request.authTable}`);
    const fit = usersTableFit(table);
    if (!fit.ok)
      throw new CliFailure(
        `--auth-table ${request.authTable} cannot be the users table: ${fit.reasons.join('; ')}`,
      );
    auth = fit.auth;
  } else {
    const found = detectUsersTable(model);
    if (found === undefined) {
      await ddl(db, createSogomsUsersSql(db.engine), `create table ${SOGOMS_USERS_TABLE}`);
      notes.push(
        `no users table found: created ${SOGOMS_USERS_TABLE} (id, email, password_hash, name, role, created_at)`,
      );
      auth = SOGOMS_USERS_AUTH;
    } else {
      auth = found.auth;
      notes.push(
        `users table: ${auth.usersTable} (login ${auth.loginField}, password ${auth.passwordField})`,
      );
      if (found.others.length > 0)
        notes.push(`also fit as users table: ${found.others.join(', ')} (pick one with --auth-table)`);
    }
  }
  if (auth.roleField === null) {
    if (request.addRoleColumn) {
      await ddl(db, addRoleColumnSql(auth.usersTable, db.engine), `add a role column to ${auth.usersTable}`);
      auth = { ...auth, roleField: ROLE_COLUMN };
      notes.push(`added column ${auth.usersTable}.${ROLE_COLUMN} ENUM('default','admin') DEFAULT 'default'`);
    } else {
      notes.push(
        `${auth.usersTable} has no role column: role_field is null, every user is 'default' and nobody can be admin ` +
          `(run again with --add-role-column to add one)`,
      );
    }
  }
  raw = await read();
  return { auth, raw, notes };
};

/**
 * `sogoms app create <name> --database-url mysql://user:pass@host:port/db|sqlite:file --host h1[,h2]
 * [--auth-table T] [--base-path /api] [--add-role-column]`: brings an existing database in.
 * Checks everything it can before writing anything: the arguments, that the name and hosts are
 * free, that the database answers. Then it makes sure there is a users table, writes
 * config/apps/{name}/ (app.yaml, secrets, schema.yaml) and asks a running supervisor to reload.
 */
export const appCreateCommand: CliCommand<AppCreateOptions> = {
  async run(ctx) {
    const request = parseRequest(ctx);
    const database = parseDatabaseUrl(ctx.options.databaseUrl);
    if (database.driver === 'mariadb' && database.password !== database.password.trim())
      throw new CliFailure(
        'the database password starts or ends with a space, which password_file cannot keep: use password_env in app.yaml',
      );
    const runDir = checkFreeInConfig(ctx.configRoot, request);

    // SQLite: opened for writing, as a missing users table is created in the file.
    const prepared = await withAppDatabase(
      { name: request.name, database },
      (db) => prepareDatabase(db, request),
      { write: true },
    );
    const scan = scanSchema(prepared.raw, null, { authTable: prepared.auth.usersTable });
    const written = writeAppFolder(ctx.configRoot, { ...request, database, auth: prepared.auth }, scan.yaml);
    try {
      // The written app must load with the rest: the supervisor would refuse the reload otherwise.
      loadConfig(ctx.configRoot);
    } catch (error) {
      rmSync(written.dir, { recursive: true, force: true });
      throw error instanceof ConfigError
        ? new CliFailure(`the new app.yaml does not load (removed): ${error.message}`)
        : error;
    }

    ctx.out(
      `created app '${request.name}' for ${redactedUrl(database)}, hosts ${request.hosts.join(', ')}, base path ${request.basePath}`,
    );
    for (const note of prepared.notes) ctx.out(`  ${note}`);
    ctx.out(`  wrote ${written.appYaml}`);
    ctx.out(`  wrote ${written.schemaYaml} (${scan.schema.tables.length} tables)`);
    for (const note of scan.notes) ctx.out(`  note: ${note}`);
    ctx.out(`  ${describeReload(await new SupervisorClient(runDir).requestReload())}`);
    ctx.out(`next: sogoms user create ${request.name} --email you@example.com --password '...' --role admin`);
    return EXIT.ok;
  },
};
