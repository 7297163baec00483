import fs from 'node:fs';
import path from 'node:path';
import knex, { Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations';
import { CachingSqliteClient } from './sqliteClient';

export type Db = Knex;
export type Trx = Knex.Transaction;
/** Either a connection or an open transaction: repositories accept both. */
export type Executor = Knex | Knex.Transaction;

export interface DbOptions {
  /** postgres://… ; when absent the embedded SQLite file is used. */
  databaseUrl?: string;
  /** SQLite file path, or ':memory:'. Defaults to data/bangfu-ledger.sqlite. */
  sqliteFile?: string;
}

export const DEFAULT_SQLITE_FILE = path.join(process.cwd(), 'data', 'bangfu-ledger.sqlite');

// PostgreSQL returns int8 (bigint) and numeric as strings. Money is integer fen bounded by 2^53
// (enforced by the Money scalar and the journal), so bigint fits a JS number exactly; sums come back
// as numeric and are converted by repositories with toInt(), which checks the bound.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${v} exceeds 2^53`);
  return n;
});

export function knexConfig(opts: DbOptions = {}): Knex.Config {
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  const migrations = { migrationSource, tableName: 'knex_migrations' };
  if (databaseUrl) {
    return { client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 }, migrations };
  }
  const filename = opts.sqliteFile ?? process.env.SQLITE_FILE ?? DEFAULT_SQLITE_FILE;
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  return {
    // better-sqlite3 with prepared statements reused (sqliteClient.ts, issue 16).
    client: CachingSqliteClient as unknown as string,
    connection: { filename },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and an in-memory database exists per connection.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
        try {
          if (filename !== ':memory:') conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          // INSERT OR REPLACE then fires the append-only DELETE triggers on the row it would replace.
          conn.pragma('recursive_triggers = ON');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
    migrations,
  };
}

export function createDb(opts: DbOptions = {}): Db {
  const db = knex(knexConfig(opts));
  if (!isPostgres(db)) beginImmediate(db);
  return db;
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE, taking the write lock first (waiting up to busy_timeout for
 * it). knex's plain BEGIN is deferred: a transaction reads, and only at its first write asks for the lock —
 * and if another process (a second server on the same file, `npm run import`, a backup) committed in
 * between, SQLite refuses at once with SQLITE_BUSY (its snapshot is stale; the busy timeout does not apply),
 * which reached clients as an uncoded INTERNAL_SERVER_ERROR (issue 17, test/concurrency.test.ts). Within one
 * process nothing changes: the single connection serialises transactions anyway. Savepoints (nested
 * transactions) are untouched.
 */
function beginImmediate(db: Db): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const SqliteTransaction: new (...args: unknown[]) => object = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction');
  class ImmediateTransaction extends SqliteTransaction {
    begin(conn: unknown) {
      return (this as any).query(conn, 'BEGIN IMMEDIATE;');
    }
  }
  (db.client as any).transaction = function (this: unknown, ...args: unknown[]) {
    return new ImmediateTransaction(this, ...args);
  };
}

export function isPostgres(db: Executor): boolean {
  return db.client.config.client === 'pg';
}

/** Converts a COUNT/SUM result (number, bigint string or numeric string) to a safe integer. */
export function toInt(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`integer expected from database, got ${String(v)}`);
  return n;
}

/**
 * An exact SQL sum as text: PostgreSQL's sum(bigint) is numeric (exact), SQLite's is a 64-bit integer that
 * the driver would hand over as a rounded JS number above 2^53 — cast to text, both read back with toBigInt.
 */
export function exactSum(db: Executor, expression: string, alias: string, bindings: readonly unknown[] = []) {
  const cast = isPostgres(db) ? `coalesce(sum(${expression}), 0)::text` : `cast(coalesce(sum(${expression}), 0) as text)`;
  return db.raw(`${cast} as ${alias}`, bindings as any[]);
}

/** Reads an exact sum (text, number or bigint) as a bigint. */
export function toBigInt(v: unknown): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`integer expected from database, got ${v}`);
    return BigInt(v);
  }
  return BigInt(String(v));
}
