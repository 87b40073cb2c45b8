export { compileNamedSql, bindNamedParams, type CompiledSql } from './named-sql.js';
