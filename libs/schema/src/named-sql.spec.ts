import { describe, expect, it } from 'vitest';
import { bindNamedParams, compileNamedSql } from '@sogoms/schema';

describe('compileNamedSql', () => {
  it('replaces placeholders in order, repeats included', () => {
    expect(compileNamedSql('SELECT * FROM t WHERE a = :user_id AND (b = :role OR c = :user_id)')).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND (b = ? OR c = ?)',
      params: ['user_id', 'role', 'user_id'],
    });
  });

  it('leaves colons in strings, identifiers, comments and casts alone', () => {
    const source =
      "SELECT ':x', \"a:b\", `c:d`, 'it''s :y', 'a\\':z' -- :comment\n /* :block */ FROM t WHERE x::int = :v";
    const compiled = compileNamedSql(source);
    expect(compiled.params).toEqual(['v']);
    expect(compiled.sql).toBe(source.replace(':v', '?'));
  });

  it('accepts dotted names and refuses positional ?', () => {
    expect(compileNamedSql('WHERE id = :body.id').params).toEqual(['body.id']);
    expect(() => compileNamedSql('WHERE id = ?')).toThrow(/placeholders/);
  });

  it('binds by name and names a missing value', () => {
    const compiled = compileNamedSql('WHERE a = :a AND b = :b AND c = :a');
    expect(bindNamedParams(compiled, { a: 1, b: 'x' })).toEqual([1, 'x', 1]);
    expect(() => bindNamedParams(compiled, { a: 1 })).toThrow(':b');
  });
});
