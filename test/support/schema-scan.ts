import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import {
  deriveRelations,
  readDatabase,
  schemaFromDatabase,
  writeSchemaYaml,
  type SchemaDef,
} from '@sogoms/schema';
import { PROJECT_ROOT } from './test-config.factory.js';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** Scans a database into a schema (as `sogoms schema scan` would), with relations derived. */
export const scanSchema = async (database: string): Promise<SchemaDef> => {
  const connection = await mysql.createConnection(SERVER);
  try {
    const raw = await readDatabase(async (sql, params) => {
      const [rows] = await connection.query(sql, params);
      return rows as Record<string, unknown>[];
    }, database);
    const { schema } = schemaFromDatabase(raw);
    return { ...schema, tables: deriveRelations(schema.tables) };
  } finally {
    await connection.end();
  }
};

export const scanSchemaYaml = async (
  database: string,
  edit: (schema: SchemaDef) => SchemaDef = (s) => s,
): Promise<string> => writeSchemaYaml(edit(await scanSchema(database)));

/** Creates `database` from the demo app's schema and seed (what the db service's init does). */
export const createDemoDatabase = async (database: string): Promise<void> => {
  const connection = await mysql.createConnection({ ...SERVER, multipleStatements: true });
  try {
    await connection.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await connection.query(`USE \`${database}\``);
    for (const file of ['schema.sql', 'seed.sql'])
      await connection.query(readFileSync(join(PROJECT_ROOT, 'config/apps/prokov/sql', file), 'utf8'));
  } finally {
    await connection.end();
  }
};
