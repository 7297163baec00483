import type { Knex } from 'knex';

/**
 * SQLite only: closing INSERT OR REPLACE on append-only tables. A REPLACE resolves a key clash by deleting
 * the old row, and that delete fires no trigger unless `recursive_triggers` is on. Two locks: every
 * connection turns recursive triggers on (src/db/connection.ts), and each append-only table refuses, before
 * the insert, a row whose key is already taken — which holds even for a connection that forgot the pragma
 * (the sqlite3 shell).
 */

/** Tables carrying the append-only DELETE trigger (src/db/appendOnly.ts names it <table>_no_delete). */
export async function appendOnlyTables(knex: Knex): Promise<string[]> {
  const rows = await knex.raw(`SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete' ESCAPE '\\' ORDER BY tbl_name`);
  return (rows as { tbl_name: string }[]).map((r) => r.tbl_name);
}

/**
 * The conditions under which a new row would clash with a stored one: its primary key, and every unique
 * index — including expression indexes (e.g. a voucher number unique per year, substr(received_on, 1, 4)),
 * whose terms are read from the index's SQL and compared with the same expression over NEW.
 */
async function clashConditions(knex: Knex, table: string): Promise<string[]> {
  const columns = (await knex.raw(`PRAGMA table_info(${table})`)) as { name: string; pk: number }[];
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const keys: string[][] = [pk.length ? pk : ['rowid']];
  const indexes = (await knex.raw(`PRAGMA index_list(${table})`)) as { name: string; unique: number; origin: string }[];
  for (const ix of indexes.filter((i) => i.unique && i.origin !== 'pk')) {
    const cols = (await knex.raw(`PRAGMA index_info(${ix.name})`)) as { seqno: number; name: string | null }[];
    if (cols.every((c) => c.name !== null)) keys.push(cols.sort((a, b) => a.seqno - b.seqno).map((c) => c.name!));
    else keys.push(await expressionTerms(knex, ix.name));
  }
  const onNew = (term: string) => columns.reduce((t, c) => t.replace(new RegExp(`\\b${c.name}\\b`, 'g'), `NEW.${c.name}`), term);
  return keys.map((terms) => `EXISTS (SELECT 1 FROM ${table} WHERE ${terms.map((t) => `${t} = ${onNew(t)}`).join(' AND ')})`);
}

/** The terms of an index, split at top-level commas of its "ON table (…)" list. */
async function expressionTerms(knex: Knex, index: string): Promise<string[]> {
  const [{ sql }] = (await knex.raw(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, [index])) as { sql: string }[];
  const list = sql.slice(sql.indexOf('(', sql.search(/\bon\b/i)) + 1, sql.lastIndexOf(')'));
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
  }
  terms.push(current.trim());
  return terms.map((t) => t.replace(/`|"/g, ''));
}

/** Adds <table>_no_replace: an insert whose primary or unique key is already taken aborts. */
export async function refuseReplace(knex: Knex, table: string): Promise<void> {
  const clashes = await clashConditions(knex, table);
  await knex.raw(`CREATE TRIGGER ${table}_no_replace BEFORE INSERT ON ${table}
    WHEN ${clashes.join(' OR ')}
    BEGIN SELECT RAISE(ABORT, 'APPEND_ONLY: table ${table} is append-only (a row with this key exists; REPLACE rejected)'); END;`);
}
