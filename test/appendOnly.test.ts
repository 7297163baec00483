/**
 * Every history table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) at the database, and every
 * table is classified: a new table that is neither listed append-only nor mutable fails here.
 */
import { APPEND_ONLY_TABLES, MUTABLE_TABLES } from '../src/db/tables';
import { loadDemo } from '../seeds/demo';
import { fixedClock } from '../src/shared/clock';
import { createTestDb, failureOf, onPostgres, TestDb } from './helpers';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock('2026-11-22T02:00:00Z'));
});
afterAll(() => t.destroy());

async function tableNames(): Promise<string[]> {
  if (onPostgres) {
    const r = await t.db.raw("select tablename as name from pg_tables where schemaname = current_schema()");
    return r.rows.map((x: { name: string }) => x.name);
  }
  return (await t.db.raw("select name from sqlite_master where type = 'table'")).map((x: { name: string }) => x.name);
}

const INTERNAL = ['knex_migrations', 'knex_migrations_lock', 'sqlite_sequence'];

it('classifies every table as append-only or mutable, once', async () => {
  const listed = [...APPEND_ONLY_TABLES, ...Object.keys(MUTABLE_TABLES)];
  expect(new Set(listed).size).toBe(listed.length);
  const unlisted = (await tableNames()).filter((n) => !INTERNAL.includes(n) && !listed.includes(n));
  expect(unlisted).toEqual([]);
  for (const n of listed) expect(await tableNames()).toContain(n);
});

describe.each(APPEND_ONLY_TABLES.map((n) => [n]))('%s', (table) => {
  it('refuses UPDATE and DELETE of its rows', async () => {
    const row = await t.db(table).first();
    const n = Number((await t.db(table).count({ n: '*' }).first())?.n);
    // Triggers fire per row: with no demo row the catalogue must show them instead.
    if (row) {
      const column = Object.keys(row).find((c) => c !== 'id') ?? 'id';
      // knex builders are thenables: await them explicitly (failureOf) rather than through expect().rejects.
      expect(await failureOf(t.db(table).update({ [column]: row[column] }))).toMatch(/APPEND_ONLY/);
      expect(await failureOf(t.db(table).del())).toMatch(/APPEND_ONLY/);
      expect(Number((await t.db(table).count({ n: '*' }).first())?.n)).toBe(n);
    }
    const triggers = onPostgres
      ? (await t.db.raw('select tgname as name from pg_trigger where tgrelid = ?::regclass', [table])).rows
      : await t.db.raw("select name from sqlite_master where type = 'trigger' and tbl_name = ?", [table]);
    const names = triggers.map((x: { name: string }) => x.name);
    if (onPostgres) expect(names).toEqual(expect.arrayContaining([`${table}_append_only`, `${table}_no_truncate`]));
    else expect(names).toEqual(expect.arrayContaining([`${table}_no_update`, `${table}_no_delete`]));
  });

  if (onPostgres) {
    it('refuses TRUNCATE', async () => {
      expect(await failureOf(t.db.raw(`TRUNCATE ${table} CASCADE`))).toMatch(/APPEND_ONLY/);
    });
  }
});
