import { SogomsError } from '@sogoms/common';
import type { TokenClaims } from '@sogoms/auth';
import type { CrudOp } from '@sogoms/schema';
import type { CompiledTable } from './compiled-table.js';
import type { IncludeNode } from './list-query.types.js';
import type { OwnerScope } from './sql-builder.js';
import type { WriteOwner } from './write-body.parser.js';

/**
 * The rules of docs/api.md: an operation must be in the table's `crud:` (else 405); it needs a
 * token unless it is in `public:` (an owner-filtered table always needs one: its rows belong to
 * someone); `filter: owner` limits rows to the token's user unless the role is in `owner_bypass`.
 */
export const authorize = (table: CompiledTable, op: CrudOp, claims: TokenClaims | null): void => {
  if (!table.ops.has(op))
    throw new SogomsError('METHOD_NOT_ALLOWED', `${op} is not allowed on ${table.name}`);
  if (claims === null && (!table.public.has(op) || isOwned(table)))
    throw new SogomsError('UNAUTHORIZED', 'Missing bearer token');
};

/** What the table serves and which ops need no token, by the same rules as `authorize` (for the docs). */
export const crudAccessOf = (
  table: CompiledTable,
): { ops: ReadonlySet<CrudOp>; public: ReadonlySet<CrudOp> } => ({
  ops: table.ops,
  public: isOwned(table) ? new Set() : new Set([...table.public].filter((op) => table.ops.has(op))),
});

/** Included relations are read like a list of their table: the same rules apply to each. */
export const authorizeIncludes = (nodes: readonly IncludeNode[], claims: TokenClaims | null): void => {
  for (const node of nodes) {
    const target = node.relation.target;
    if (!target.ops.has('list'))
      throw new SogomsError('VALIDATION_FAILED', 'Invalid query parameters', {
        include: [`${node.relation.name}: ${target.name} cannot be listed`],
      });
    authorize(target, 'list', claims);
    authorizeIncludes(node.children, claims);
  }
};

const bypasses = (table: CompiledTable, claims: TokenClaims): boolean => table.ownerBypass.has(claims.role);

/** Rows belong to users: through an owner field, or through owned parents (ownerLinks). */
export const isOwned = (table: CompiledTable): boolean => table.owner !== null || table.ownerLinks.length > 0;

/** The owner value rows must carry for this caller, or null when the table has no owner limit for them. */
export const ownerScope = (table: CompiledTable, claims: TokenClaims | null): OwnerScope => {
  if (!isOwned(table)) return null;
  // authorize() refuses owner-filtered tables without a token; this keeps it so if called alone.
  if (claims === null) throw new SogomsError('UNAUTHORIZED', 'Missing bearer token');
  if (bypasses(table, claims)) return null;
  return ownerValue(table, claims);
};

/** What a create stores in the owner field. */
export const writeOwner = (table: CompiledTable, claims: TokenClaims | null): WriteOwner | null => {
  if (table.owner === null || claims === null) return null;
  return { value: ownerValue(table, claims), bypass: bypasses(table, claims) };
};

const ownerValue = (table: CompiledTable, claims: TokenClaims) => {
  try {
    return (table.owner ?? table.ownerLinks[0].parent.owner!).codec.fromText(claims.sub);
  } catch {
    // A token whose subject cannot be an owner value owns nothing.
    throw new SogomsError('FORBIDDEN', 'This token cannot own rows of this table');
  }
};
