/**
 * A fingerprint of a whole database: every table's row count and a SHA-256 of its rows (each row as JSON with
 * sorted keys, the rows sorted), so "nothing changed" can be asserted without naming the tables an operation
 * might touch. Meant for test databases of a few hundred thousand rows at most.
 */
import crypto from 'node:crypto';
import type { Db } from '../../src/db/connection';
import { isPostgres } from '../../src/db/connection';

export interface TableDigest {
  rows: number;
  sha256: string;
}

export async function tablesOf(db: Db): Promise<string[]> {
  if (isPostgres(db)) {
    const r = await db.raw(`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`);
    return r.rows.map((x: { name: string }) => x.name).sort();
  }
  const r = await db.raw(`select name from sqlite_master where type = 'table'`);
  return (r as { name: string }[]).map((x) => x.name).sort();
}

const stable = (row: Record<string, unknown>) =>
  JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k] instanceof Date ? (row[k] as Date).toISOString() : row[k]]));

export async function digestOf(db: Db, exclude: string[] = []): Promise<Record<string, TableDigest>> {
  const out: Record<string, TableDigest> = {};
  for (const t of await tablesOf(db)) {
    if (exclude.includes(t)) continue;
    const rows = (await db(t).select('*')).map(stable).sort();
    const h = crypto.createHash('sha256');
    for (const r of rows) h.update(r).update('\n');
    out[t] = { rows: rows.length, sha256: h.digest('hex') };
  }
  return out;
}

/** The tables whose digest differs between two fingerprints (added, removed or changed). */
export function changedTables(a: Record<string, TableDigest>, b: Record<string, TableDigest>): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t])).sort();
}
