/**
 * A unique-constraint violation, as either database reports it: SQLite (better-sqlite3) throws
 * SQLITE_CONSTRAINT_UNIQUE with "UNIQUE constraint failed: table.col[, table.col]" (or "index 'name'" for an
 * expression index); PostgreSQL throws SQLSTATE 23505 with the table, the constraint name and a detail
 * "Key (col[, col])=(…) already exists.". Two writers racing past a service's own duplicate check end here.
 */
export interface UniqueViolation {
  table: string | null;
  /** The key's columns, in index order (empty when the database names only an expression index). */
  columns: string[];
  /** The index or constraint name, when the database gives it. */
  constraint: string | null;
}

export function uniqueViolationOf(err: unknown): UniqueViolation | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; message?: unknown; table?: unknown; constraint?: unknown; detail?: unknown };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const text = String(e.message ?? '');
    const index = /UNIQUE constraint failed: index '([^']+)'/.exec(text);
    if (index) return { table: null, columns: [], constraint: index[1] };
    const cols = /(?:UNIQUE|PRIMARY KEY) constraint failed: (.+)$/m.exec(text)?.[1] ?? '';
    const parts = cols.split(',').map((c) => c.trim()).filter(Boolean);
    return {
      table: parts[0]?.split('.')[0] ?? null,
      columns: parts.map((p) => p.split('.').slice(1).join('.') || p),
      constraint: null,
    };
  }
  if (e.code === '23505') {
    const key = /^Key \((.*)\)=\(/.exec(String(e.detail ?? ''))?.[1] ?? '';
    // Plain column names only: an expression key (e.g. substr(received_on, 1, 4)) is named by its index.
    const columns = key.split(', ').every((c) => /^[a-z_][a-z0-9_]*$/.test(c)) ? key.split(', ').filter(Boolean) : [];
    return {
      table: typeof e.table === 'string' ? e.table : null,
      columns,
      constraint: typeof e.constraint === 'string' ? e.constraint : null,
    };
  }
  return null;
}
