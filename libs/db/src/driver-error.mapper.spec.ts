import { SogomsError } from '@sogoms/common';
import { describe, expect, it } from 'vitest';
import { mapDriverError } from './driver-error.mapper.js';

/**
 * Shapes that the MariaDB on this machine does not produce (MySQL 8 wording, socket errors,
 * mysql2's own pool errors). What MariaDB produces is covered against the real server in
 * db.service.spec.ts and db.resilience.spec.ts.
 */
const driverError = (
  fields: Record<string, unknown>,
  message = typeof fields.sqlMessage === 'string' ? fields.sqlMessage : 'driver error',
): Error => Object.assign(new Error(message), fields);

describe('mapDriverError', () => {
  it('takes the table of a duplicate key from MySQL 8 wording', () => {
    const { error, logMessage } = mapDriverError(
      driverError({
        code: 'ER_DUP_ENTRY',
        errno: 1062,
        sqlMessage: "Duplicate entry 'a@x.test' for key 'users.email'",
      }),
    );
    expect(error.toBody()).toEqual({
      code: 'CONFLICT',
      message: 'Duplicate value for users.email',
      details: { table: 'users', key: 'email' },
    });
    // The driver message echoes the value: it is not kept for the logs either.
    expect(logMessage).toBeNull();
  });

  it('names the primary key and qualifies MariaDB keys with the statement target', () => {
    const primary = mapDriverError(
      driverError({ errno: 1062, code: 'ER_DUP_ENTRY', sqlMessage: "Duplicate entry '7' for key 'PRIMARY'" }),
      { sql: 'INSERT INTO `shop`.`orders` (id) VALUES (?)' },
    );
    expect(primary.error.message).toBe('Duplicate primary key for orders');
    const update = mapDriverError(
      driverError({ errno: 1062, code: 'ER_DUP_ENTRY', sqlMessage: "Duplicate entry 'x' for key 'slug'" }),
      { sql: '  update posts SET slug = ? WHERE id = ?' },
    );
    expect(update.error.message).toBe('Duplicate value for posts.slug');
  });

  it.each([
    ['ECONNREFUSED', { code: 'ECONNREFUSED', errno: -111, fatal: true }],
    ['PROTOCOL_CONNECTION_LOST', { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }],
    ['ER_CON_COUNT_ERROR', { code: 'ER_CON_COUNT_ERROR', errno: 1040 }],
    ['ETIMEDOUT (connect timeout)', { code: 'ETIMEDOUT', fatal: true }],
  ])('%s → UNAVAILABLE', (_name, fields) => {
    expect(mapDriverError(driverError(fields)).error.code).toBe('UNAVAILABLE');
  });

  it("mysql2's closed pool → UNAVAILABLE, and the connection is treated as broken", () => {
    const mapped = mapDriverError(new Error('Pool is closed.'));
    expect(mapped.error.code).toBe('UNAVAILABLE');
    expect(mapped.connectionBroken).toBe(true);
  });

  it('client-side timeout → TIMEOUT with the connection dropped; server-side limit → TIMEOUT', () => {
    const client = mapDriverError(
      driverError({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' }, 'Query inactivity timeout'),
    );
    expect([client.error.code, client.connectionBroken]).toEqual(['TIMEOUT', true]);
    const mysql = mapDriverError(
      driverError({ code: 'ER_QUERY_TIMEOUT', errno: 3024, sqlMessage: 'timeout' }),
    );
    expect([mysql.error.code, mysql.connectionBroken]).toEqual(['TIMEOUT', false]);
  });

  it('deadlock → CONFLICT marked retryable', () => {
    const { error } = mapDriverError(
      driverError({ code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlMessage: 'Deadlock found' }),
    );
    expect(error.toBody()).toMatchObject({ code: 'CONFLICT', details: { retryable: true } });
  });

  it('anything else → INTERNAL with a generic message and a ref; SogomsError passes through', () => {
    const { error, logMessage } = mapDriverError(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    );
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('Database statement failed');
    expect((error.details as { ref: string }).ref).toMatch(/^[0-9a-f]{12}$/);
    expect(logMessage).toContain('Cannot read properties');

    const own = new SogomsError('NOT_FOUND', "Unknown app 'x'");
    expect(mapDriverError(own).error).toBe(own);
  });
});
