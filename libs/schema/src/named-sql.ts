import { SogomsError } from '@sogoms/common';

/** SQL with `:name` placeholders turned into `?`, and the names in the order they must be bound. */
export interface CompiledSql {
  sql: string;
  params: string[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

/**
 * Compiles `SELECT * FROM t WHERE user_id = :user_id` once, at load time. Quoted strings,
 * quoted identifiers, comments and `::` are left alone, so a colon inside them is no placeholder.
 */
export const compileNamedSql = (source: string): CompiledSql => {
  let sql = '';
  const params: string[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = findQuoteEnd(source, i, ch);
      sql += source.slice(i, end);
      i = end;
    } else if (ch === '-' && source[i + 1] === '-') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      sql += source.slice(i, stop);
      i = stop;
    } else if (ch === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      sql += source.slice(i, stop);
      i = stop;
    } else if (ch === ':' && source[i + 1] === ':') {
      sql += '::';
      i += 2;
    } else if (ch === ':') {
      NAME.lastIndex = i + 1;
      const match = NAME.exec(source);
      if (match === null) {
        sql += ch;
        i += 1;
      } else {
        sql += '?';
        params.push(match[0]);
        i += 1 + match[0].length;
      }
    } else if (ch === '?') {
      throw new SogomsError('BAD_REQUEST', 'Use :name placeholders, not ?');
    } else {
      sql += ch;
      i += 1;
    }
  }
  return { sql, params };
};

const findQuoteEnd = (source: string, start: number, quote: string): number => {
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && quote !== '`') {
      i += 2;
    } else if (ch === quote && source[i + 1] === quote) {
      i += 2;
    } else if (ch === quote) {
      return i + 1;
    } else {
      i += 1;
    }
  }
  return source.length;
};

/** Binds values by name, in placeholder order; a name without a value is a configuration error. */
export const bindNamedParams = <V>(compiled: CompiledSql, values: Readonly<Record<string, V>>): V[] =>
  compiled.params.map((name) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new SogomsError('BAD_REQUEST', `No value for placeholder :${name}`);
    }
    return values[name];
  });
