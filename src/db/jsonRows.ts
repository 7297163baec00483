import type { Executor } from './connection';
import { isPostgres } from './connection';

/**
 * Many rows in one `insert … select … from <the rows as one JSON array>` statement with ONE bound value, on
 * both databases (issue 16, G5). insertRows binds every value (30,000 a statement), and knex walks each one
 * several times (placeholder rewriting, undefined checks, formatting): for 10,000 distribution recipients
 * that was more CPU than SQLite's own work. Here JSON.stringify (native) writes the rows and the database
 * reads them back: SQLite with json_each/json_extract, PostgreSQL with json_populate_recordset over the
 * table's own row type (so every column keeps its declared type).
 *
 * Values must be JSON-safe: strings, safe integers (money in fen), booleans, null (undefined is read as
 * null). Rows take the columns of the first row; ids are assigned in row order. `returning` lists columns
 * to read back.
 */
export async function insertJsonRows(db: Executor, table: string, rows: readonly Record<string, unknown>[], opts: { returning?: string } = {}): Promise<any[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]);
  for (const c of columns) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`insertJsonRows: column name ${c}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`insertJsonRows: table name ${table}`);
  // An undefined value leaves its key out, which both databases read as null.
  const json = JSON.stringify(rows);
  const returning = opts.returning ? ` returning ${opts.returning}` : '';
  const list = columns.join(', ');
  if (isPostgres(db)) {
    const r: any = await db.raw(`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ?::json)${returning}`, [json]);
    return opts.returning ? r.rows : [];
  }
  const select = columns.map((c) => `json_extract(value, '$.${c}')`).join(', ');
  // `order by key`: json_each walks the array in order anyway; said so that ids follow the rows.
  const r: any = await db.raw(`insert into ${table} (${list}) select ${select} from json_each(?) order by key${returning}`, [json]);
  return opts.returning ? r : [];
}
