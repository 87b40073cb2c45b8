import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { SogomsError } from '@sogoms/common';
import { ConfigError, loadConfig } from '@sogoms/config';
import { scanSchema, schemaFromDatabase, type RawDatabase } from '@sogoms/schema';
import { writeAppFolder } from './app-folder.writer.js';
import { NEW_APP_DEFAULTS, type NewAppRequest, type ProvisionedApp } from './new-app-request.js';
import { normalizedHosts, validateNewAppRequest } from './new-app-request.validator.js';
import type { ProvisioningDatabase } from './provisioning-database.js';
import {
  addRoleColumnSql,
  createSogomsUsersSql,
  ROLE_COLUMN,
  SOGOMS_USERS_AUTH,
  SOGOMS_USERS_TABLE,
} from './sogoms-users.table.js';
import { detectUsersTable, usersTableFit, type UsersTableAuth } from './users-table.detector.js';

const JWT_SECRET_BYTES = 48;

interface PreparedDatabase {
  auth: UsersTableAuth;
  raw: RawDatabase;
  notes: string[];
}

/** The code of what refused a statement: a SogomsError's (db.probe) or the driver's (a direct connection). */
const refusalCode = (error: unknown): string => {
  if (error instanceof SogomsError) return error.code;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return 'unknown error';
};

const ddl = async (db: ProvisioningDatabase, sql: string, what: string): Promise<void> => {
  try {
    await db.execute(sql);
  } catch (error) {
    throw new SogomsError(
      'FORBIDDEN',
      `cannot ${what} (${refusalCode(error)}): give the database user that right, or name an existing users table`,
      { field: 'authTable' },
    );
  }
};

const invalidAuthTable = (message: string): SogomsError =>
  new SogomsError('VALIDATION_FAILED', message, { field: 'authTable' });

/**
 * Finds the users table (the one asked for, or the one detected), creates sogoms_users when
 * there is none, adds a role column when asked, and reads the database as it is then. Writes
 * to the database only what a working users table needs.
 */
const prepareDatabase = async (
  db: ProvisioningDatabase,
  request: NewAppRequest,
): Promise<PreparedDatabase> => {
  const notes: string[] = [];
  const model = schemaFromDatabase(await db.introspect()).schema;
  let auth: UsersTableAuth;
  if (request.authTable !== undefined) {
    const table = model.tables.find((candidate) => candidate.name === request.authTable);
    if (table === undefined)
      throw invalidAuthTable(`database '${db.name}' has no table ${request.authTable}`);
    const fit = usersTableFit(table);
    if (!fit.ok)
      throw invalidAuthTable(`${request.authTable} cannot be the users table: ${fit.reasons.join('; ')}`);
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
        notes.push(`also fit as users table: ${found.others.join(', ')} (pick one as the auth table)`);
    }
  }
  if (auth.roleField === null) {
    if (request.addRoleColumn === true) {
      await ddl(db, addRoleColumnSql(auth.usersTable, db.engine), `add a role column to ${auth.usersTable}`);
      auth = { ...auth, roleField: ROLE_COLUMN };
      notes.push(`added column ${auth.usersTable}.${ROLE_COLUMN} ENUM('default','admin') DEFAULT 'default'`);
    } else {
      notes.push(
        `${auth.usersTable} has no role column: role_field is null, every user is 'default' and nobody can be admin ` +
          `(ask for a role column to add one)`,
      );
    }
  }
  return { auth, raw: await db.introspect(), notes };
};

const isAlreadyThere = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST';

/**
 * Brings an existing database in as a new app: checks the request (validateNewAppRequest), makes
 * sure the database has a users table (detected, named, or sogoms_users created), scans it,
 * writes config/apps/{name}/ (app.yaml, secrets of mode 600, schema.yaml, emails/) and checks
 * that the configuration still loads with it; if not, the folder is removed again. Reloading the
 * running services is the caller's step. Errors are SogomsError with details {field}.
 */
export const provisionApp = async (
  configRoot: string,
  request: NewAppRequest,
  db: ProvisioningDatabase,
): Promise<ProvisionedApp> => {
  validateNewAppRequest(configRoot, request);
  const prepared = await prepareDatabase(db, request);
  const scan = scanSchema(prepared.raw, null, { authTable: prepared.auth.usersTable });
  let written;
  try {
    written = writeAppFolder(
      configRoot,
      {
        name: request.name,
        version: request.version ?? NEW_APP_DEFAULTS.version,
        hosts: normalizedHosts(request.hosts),
        basePath: request.basePath ?? NEW_APP_DEFAULTS.basePath,
        database: request.database,
        auth: prepared.auth,
        jwtSecret: request.jwtSecret ?? randomBytes(JWT_SECRET_BYTES).toString('base64url'),
        jwtExpiresIn: request.jwtExpiresIn ?? NEW_APP_DEFAULTS.jwtExpiresIn,
      },
      scan.yaml,
    );
  } catch (error) {
    // Someone made the folder while the database was being prepared.
    if (isAlreadyThere(error))
      throw new SogomsError('CONFLICT', `config/apps/${request.name} already exists: choose another name`, {
        field: 'name',
      });
    throw error;
  }
  try {
    // The written app must load with the rest: the supervisor would refuse the reload otherwise.
    loadConfig(configRoot);
  } catch (error) {
    rmSync(written.dir, { recursive: true, force: true });
    if (!(error instanceof ConfigError)) throw error;
    throw new SogomsError('VALIDATION_FAILED', `the new app.yaml does not load (removed): ${error.message}`);
  }
  return {
    dir: written.dir,
    appYaml: written.appYaml,
    schemaYaml: written.schemaYaml,
    tables: scan.schema.tables.length,
    notes: [...prepared.notes, ...scan.notes.map((note) => `note: ${note}`)],
  };
};
