import { SogomsError } from '@sogoms/common';
import type { DbProbeDatabase } from '@sogoms/ipc';

/**
 * The errors of `db.probe` as a person filling in a database form can act on them: which field
 * is wrong (`details.field`) and what to check. Unlike driver-error.mapper.ts (an app whose
 * configured database fails is UNAVAILABLE whatever the cause), the cause is the answer here.
 * Never the driver's message: it can echo the user and host back in its own words.
 */

interface DriverFailure {
  code?: string;
  errno?: number;
}

const failureOf = (error: unknown): DriverFailure =>
  typeof error === 'object' && error !== null ? error : {};

const ACCESS_DENIED = new Set([
  1045, // ER_ACCESS_DENIED_ERROR
  1698, // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1251, // ER_NOT_SUPPORTED_AUTH_MODE
  1862, // ER_MUST_CHANGE_PASSWORD_LOGIN
  3118, // ER_ACCOUNT_HAS_BEEN_LOCKED (MySQL)
  4151, // ER_ACCOUNT_HAS_BEEN_LOCKED (MariaDB)
]);
const HOST_REFUSED = new Set([
  1129, // ER_HOST_IS_BLOCKED
  1130, // ER_HOST_NOT_PRIVILEGED
]);
const BUSY = new Set([
  1040, // ER_CON_COUNT_ERROR
  1203, // ER_TOO_MANY_USER_CONNECTIONS
  1226, // ER_USER_LIMIT_REACHED
  1053, // ER_SERVER_SHUTDOWN
]);
const NO_RIGHT = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1142, // ER_TABLEACCESS_DENIED_ERROR
  1143, // ER_COLUMNACCESS_DENIED_ERROR
  1227, // ER_SPECIFIC_ACCESS_DENIED_ERROR
  1370, // ER_PROCACCESS_DENIED_ERROR
]);
const STATEMENT_TIMEOUT = new Set([1969, 3024, 1205]);
const TIMED_OUT = new Set(['ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT']);
const NO_SUCH_HOST = new Set(['ENOTFOUND', 'EAI_AGAIN']);

const where = (db: DbProbeDatabase): string =>
  `${db.host.includes(':') ? `[${db.host}]` : db.host}:${db.port}`;

/** Why the connection (or its first statements) could not be made. */
export const probeConnectError = (error: unknown, db: DbProbeDatabase): SogomsError => {
  const { code, errno } = failureOf(error);
  if (errno === 1049)
    return new SogomsError(
      'NOT_FOUND',
      `database server ${where(db)} has no database '${db.name}': check the name or create it first`,
      { field: 'name' },
    );
  if (errno === 1044)
    // Connecting as a user without rights on a database: MariaDB does not say whether it exists.
    return new SogomsError(
      'UNAUTHORIZED',
      `user '${db.user}' may not use database '${db.name}' (or it does not exist): check the name or grant the user access`,
      { field: 'name' },
    );
  if (errno !== undefined && ACCESS_DENIED.has(errno))
    return new SogomsError(
      'UNAUTHORIZED',
      `database server ${where(db)} refused user '${db.user}' with this password: check the user and password`,
      { field: 'user' },
    );
  if (errno !== undefined && HOST_REFUSED.has(errno))
    return new SogomsError(
      'UNAUTHORIZED',
      `database server ${where(db)} does not let user '${db.user}' connect from this machine: allow this host for the user`,
      { field: 'user' },
    );
  if (errno !== undefined && BUSY.has(errno))
    return new SogomsError(
      'UNAVAILABLE',
      `database server ${where(db)} takes no more connections right now: try again in a moment`,
      { field: 'host' },
    );
  if (code !== undefined && NO_SUCH_HOST.has(code))
    return new SogomsError('UNAVAILABLE', `host ${db.host} is not known: check the host name`, {
      field: 'host',
    });
  if (code !== undefined && TIMED_OUT.has(code))
    return new SogomsError(
      'UNAVAILABLE',
      `database server ${where(db)} did not answer in time: check the host, the port and any firewall between`,
      { field: 'host' },
    );
  return new SogomsError(
    'UNAVAILABLE',
    `cannot reach a database server at ${where(db)}: check the host and port, and that the server runs`,
    { field: 'host' },
  );
};

/** Why statement `index` of the request (or the catalog read, `index` undefined) failed. */
export const probeStatementError = (
  error: unknown,
  db: DbProbeDatabase,
  index: number | undefined,
): SogomsError => {
  const { errno } = failureOf(error);
  const statement = index === undefined ? 'reading the catalog' : `statement ${index}`;
  const details = index === undefined ? undefined : { statement: index };
  if (errno !== undefined && NO_RIGHT.has(errno))
    return new SogomsError(
      'FORBIDDEN',
      `user '${db.user}' lacks the right for ${statement} on database '${db.name}': grant it, or let someone who has it do this step`,
      details,
    );
  if (errno !== undefined && STATEMENT_TIMEOUT.has(errno))
    return new SogomsError('TIMEOUT', `${statement} took too long on database '${db.name}'`, details);
  if (errno === undefined) return probeConnectError(error, db);
  return new SogomsError(
    'BAD_REQUEST',
    `database '${db.name}' rejected ${statement} (server error ${errno})`,
    details,
  );
};
