/**
 * knex's better-sqlite3 client, reusing prepared statements (issue 16: knex prepares every statement again,
 * 6.7% of a page's CPU in `Statement` alone). Each connection keeps its statements by SQL text, at most
 * STATEMENT_CACHE_SIZE of them (the least recently used goes first). Statements are only reused as knex
 * would use a fresh one: a query asking for safe integers prepares its own. SQLite re-prepares a cached
 * statement by itself after a schema change (migrations).
 */
import type { Knex } from 'knex';
// knex ships the dialect's client as a class without typings of its own.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const BetterSqlite3Client: new (config: Knex.Config) => Knex.Client & {
  _query(connection: unknown, obj: unknown): Promise<unknown>;
  _formatBindings(bindings?: unknown[]): unknown[];
} = require('knex/lib/dialects/better-sqlite3');

export const STATEMENT_CACHE_SIZE = 500;

interface Statement {
  reader: boolean;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface Connection {
  prepare(sql: string): Statement;
}
interface QueryObject {
  sql: string;
  bindings?: unknown[];
  options?: { safeIntegers?: boolean };
  response?: unknown;
  context?: unknown;
}

const caches = new WeakMap<Connection, Map<string, Statement>>();

function prepared(connection: Connection, sql: string): Statement {
  let cache = caches.get(connection);
  if (!cache) caches.set(connection, (cache = new Map()));
  const hit = cache.get(sql);
  if (hit) {
    // Most recently used last.
    cache.delete(sql);
    cache.set(sql, hit);
    return hit;
  }
  const statement = connection.prepare(sql);
  if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(sql, statement);
  return statement;
}

export class CachingSqliteClient extends BetterSqlite3Client {
  async _query(connection: Connection, obj: QueryObject): Promise<QueryObject> {
    // A query with its own integer mode goes through knex's path, on a statement of its own.
    if (obj.options?.safeIntegers !== undefined) return (await super._query(connection, obj)) as QueryObject;
    if (!obj.sql) throw new Error('The query is empty');
    if (!connection) throw new Error('No connection provided');
    const statement = prepared(connection, obj.sql);
    const bindings = this._formatBindings(obj.bindings);
    if (statement.reader) {
      obj.response = statement.all(bindings);
      return obj;
    }
    const response = statement.run(bindings);
    obj.response = response;
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
    return obj;
  }
}
