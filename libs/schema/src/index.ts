export { compileNamedSql, bindNamedParams, type CompiledSql } from './named-sql.js';
export { quoteIdentifier, SAFE_IDENTIFIER } from './quote-identifier.js';
