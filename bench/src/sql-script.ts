/**
 * Splits a MySQL/MariaDB script (as the `mariadb` client reads it) into single statements:
 * honours `DELIMITER x` lines (triggers and procedures use `;` inside their bodies), quotes,
 * backticks and comments. Executable comments (`/*! ... *\/`) are kept: the server runs them.
 */
export const splitSqlScript = (script: string): string[] => {
  const statements: string[] = [];
  let delimiter = ';';
  let current = '';
  let i = 0;
  let atLineStart = true;
  const push = (): void => {
    const statement = current.trim();
    if (statement !== '') statements.push(statement);
    current = '';
  };
  while (i < script.length) {
    if (atLineStart) {
      const lineEnd = script.indexOf('\n', i) === -1 ? script.length : script.indexOf('\n', i);
      const line = script.slice(i, lineEnd).trim();
      const match = /^DELIMITER\s+(\S+)$/i.exec(line);
      if (match !== null && current.trim() === '') {
        delimiter = match[1];
        i = lineEnd + 1;
        continue;
      }
    }
    const char = script[i];
    atLineStart = char === '\n';
    if (char === "'" || char === '"' || char === '`') {
      const end = closingQuote(script, i, char);
      current += script.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (char === '-' && script[i + 1] === '-' && /^[ \t\r\n]?$/.test(script[i + 2] ?? '')) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      continue;
    }
    if (char === '#') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      continue;
    }
    if (char === '/' && script[i + 1] === '*' && script[i + 2] !== '!') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
      continue;
    }
    if (script.startsWith(delimiter, i)) {
      push();
      i += delimiter.length;
      continue;
    }
    current += char;
    i += 1;
  }
  push();
  return statements;
};

/** Index of the quote that closes the one at `start` (a doubled quote or a backslash escapes). */
const closingQuote = (text: string, start: number, quote: string): number => {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\' && quote !== '`') i += 2;
    else if (char === quote && text[i + 1] === quote) i += 2;
    else if (char === quote) return i;
    else i += 1;
  }
  return text.length - 1;
};

/**
 * Points a dump at another database: `CREATE SCHEMA x`, `DROP SCHEMA IF EXISTS x`, `USE x` and
 * qualified names `x.table` (Sakila's views). Data that merely contains the name is untouched.
 */
export const renameDatabase = (statement: string, from: string, to: string): string =>
  statement
    .replace(
      new RegExp(
        `\\b(SCHEMA|DATABASE|USE)(\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?)\`?${from}\`?(?=\\s|;|$)`,
        'gi',
      ),
      `$1$2\`${to}\``,
    )
    .replace(new RegExp(`(?<![\\w.@'])${from}\\.(?=\\w)`, 'g'), `\`${to}\`.`);
