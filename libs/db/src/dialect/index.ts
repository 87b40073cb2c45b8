export {
  dialectOf,
  MARIADB_DIALECT,
  SQLITE_DIALECT,
  type DefaultValue,
  type SqlDialect,
} from './sql-dialect.js';
