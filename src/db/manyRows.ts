import type { Executor } from './connection';
import { isPostgres } from './connection';

/**
 * Thousands of rows into one table at the cost of the database's own work (issue 16, G5: a distribution's
 * 10,000 recipients, a first execution's 10,000 households' parties). insertRows binds every value into
 * one statement (30,000 a statement), and knex walks each value several times (placeholder rewriting,
 * undefined checks, formatting): for 10,000 recipients that cost more CPU than SQLite's own work.
 *
 * - SQLite: one prepared single-row statement run per row on the executor's own connection (the
 *   transaction's, when given one) — what a raw better-sqlite3 loop does, without knex in between.
 * - PostgreSQL: one statement with ONE bound value, the rows as a JSON array, read back by
 *   json_populate_recordset over the table's own row type (every column keeps its declared type).
 *
 * Rows take the columns of the first row (undefined is written as null); ids are assigned in row order.
 * `returning` lists columns to read back, one row per row inserted, in order. Values must be what both
 * drivers take: strings, safe integers (money in fen), booleans as 0/1, null. Statements run this way are
 * not seen by knex's query events.
 */
export async function insertManyRows(db: Executor, table: string, rows: readonly Record<string, unknown>[], opts: { returning?: string } = {}): Promise<any[]> {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]);
  for (const name of [table, ...columns]) if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`insertManyRows: bad name ${name}`);
  if (opts.returning && !/^[a-z_][a-z0-9_]*(, ?[a-z_][a-z0-9_]*)*$|^\*$/.test(opts.returning)) throw new Error(`insertManyRows: bad returning ${opts.returning}`);
  const returning = opts.returning ? ` returning ${opts.returning}` : '';
  const list = columns.join(', ');
  if (isPostgres(db)) {
    // An undefined value leaves its key out of the JSON, which json_populate_recordset reads as null.
    const r: any = await db.raw(`insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, ?::json)${returning}`, [JSON.stringify(rows)]);
    return opts.returning ? r.rows : [];
  }
  const client = (db as any).client;
  const connection = await client.acquireConnection();
  try {
    const statement = connection.prepare(`insert into ${table} (${list}) values (${columns.map(() => '?').join(', ')})${returning}`);
    const values = new Array<unknown>(columns.length);
    const out: any[] = [];
    for (const row of rows) {
      for (let c = 0; c < columns.length; c++) {
        const v = row[columns[c]];
        values[c] = v === undefined ? null : v;
      }
      if (opts.returning) out.push(statement.get(values));
      else statement.run(values);
    }
    return out;
  } finally {
    await client.releaseConnection(connection);
  }
}
