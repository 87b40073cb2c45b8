import mysql from 'mysql2/promise';
import { diffSchemas, migrationFor, type SchemaDef } from '@sogoms/schema';
import { TEST_MARIADB } from '@sogoms/schema/testing';

/**
 * Creates `database` with the tables of `schema` (the DDL `sogoms schema migrate` would run on
 * an empty database), then runs `seed`.
 */
export const createDatabaseFromSchema = async (
  database: string,
  schema: SchemaDef,
  seed: readonly string[],
): Promise<void> => {
  const connection = await mysql.createConnection(TEST_MARIADB);
  try {
    await connection.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await connection.query(`USE \`${database}\``);
    const empty: SchemaDef = { version: 1, tables: [] };
    const { statements } = migrationFor(diffSchemas(schema, empty), schema, { allowDrop: false });
    for (const statement of [...statements, ...seed]) await connection.query(statement);
  } finally {
    await connection.end();
  }
};
