import type { Executor } from './connection';
import { isPostgres } from './connection';

/**
 * Many rows in one `insert … values (…), (…), …` statement per chunk (as many rows as fit in 30,000 bound
 * values), on both databases. knex writes SQLite's multi-row insert as a compound `select … union all
 * select …`, several times slower to prepare and run, and limited to 500 terms. Rows take the columns of the
 * first row, in its key order; ids are assigned in row order. `returning` lists columns to read back (rows
 * skipped by `onConflictIgnore` are not returned).
 *
 * Statements come in few sizes, so that the same SQL text recurs and SQLite's prepared-statement cache
 * (src/db/sqliteClient.ts) reuses them instead of holding hundreds of large one-off statements (issue 16,
 * G4: a 100k-row import wrote ~6 tables per batch of 500 rows, each count different): full chunks, then the
 * rest split into powers of two down to SMALL, then the last < SMALL rows in one statement.
 */
export async function insertRows(
  db: Executor,
  table: string,
  rows: readonly Record<string, unknown>[],
  opts: { returning?: string; onConflictIgnore?: readonly string[] } = {},
): Promise<any[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]);
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const out: any[] = [];
  for (let i = 0; i < rows.length; ) {
    const n = chunkSize(rows.length - i, perStatement);
    const chunk = rows.slice(i, i + n);
    i += n;
    const bindings: unknown[] = [];
    for (const r of chunk) for (const c of columns) bindings.push(r[c] === undefined ? null : r[c]);
    const conflict = opts.onConflictIgnore ? ` on conflict (${opts.onConflictIgnore.join(', ')}) do nothing` : '';
    const returning = opts.returning ? ` returning ${opts.returning}` : '';
    const sql = `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => tuple).join(', ')}${conflict}${returning}`;
    const r: any = await db.raw(sql, bindings as any[]);
    if (opts.returning) out.push(...(isPostgres(db) ? r.rows : r));
  }
  return out;
}

const SMALL = 16;

/** Rows for the next statement: a full chunk, else the largest power of two ≥ SMALL that fits, else the rest. */
function chunkSize(left: number, perStatement: number): number {
  if (left >= perStatement) return perStatement;
  if (left < SMALL) return left;
  let n = SMALL;
  while (n * 2 <= left) n *= 2;
  return n;
}
