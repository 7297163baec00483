/**
 * Issue 8, item 9: on PostgreSQL the application's role cannot switch triggers off, change the schema, or
 * update and delete append-only rows; the owner role (migrations) can. Runs when DATABASE_URL and
 * DATABASE_APP_ROLE are set (CI sets both: .ci/run); a no-op on SQLite.
 */
import { createTestDb, TestDb, onPostgres, failureOf, TEST_NOW } from './helpers';
import { fixedClock } from '../src/shared/clock';
import { loadDemo } from '../seeds/demo';

const withRoles = onPostgres && !!process.env.DATABASE_APP_ROLE;
let t: TestDb;
beforeAll(async () => {
  if (!withRoles) return;
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
});
afterAll(() => t?.destroy());

(withRoles ? describe : describe.skip)('the application role', () => {
  const ATTACKS: [string, string][] = [
    ['disable the journal triggers', 'ALTER TABLE journal_entries DISABLE TRIGGER ALL'],
    ['disable one append-only trigger', 'ALTER TABLE distribution_payments DISABLE TRIGGER distribution_payments_append_only'],
    ['drop a trigger', 'DROP TRIGGER asset_events_append_only ON asset_events'],
    ['update a journal entry', `UPDATE journal_entries SET memo = 'x' WHERE id = (SELECT min(id) FROM journal_entries)`],
    ['update a payment', 'UPDATE distribution_payments SET amount_fen = 1'],
    ['delete an asset event', 'DELETE FROM asset_events'],
    ['truncate the postings', 'TRUNCATE journal_postings'],
    ['create a table', 'CREATE TABLE shadow (id int)'],
    ['drop a table', 'DROP TABLE income_records'],
    ['replace the trigger function', `CREATE OR REPLACE FUNCTION bangfu_append_only() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql`],
    ['rewrite the migrations', 'DELETE FROM knex_migrations'],
  ];
  it.each(ATTACKS)('may not %s', async (_label, sql) => {
    expect(await failureOf(t.appDb.raw(sql))).toMatch(/permission denied|must be owner/);
  });

  it('still does its work: reads everything, inserts, updates mutable tables', async () => {
    expect(Number((await t.appDb('journal_entries').count({ n: '*' }).first())!.n)).toBeGreaterThan(0);
    const [row] = await t.appDb('parties').insert({ kind: 'INDIVIDUAL', name: '测试', region_code: '511922105005', created_at: TEST_NOW }).returning('id');
    await t.appDb('parties').where({ id: row.id }).update({ name: '测试2' });
  });

  it('while the owner (migrations) keeps control of its tables', async () => {
    expect(await failureOf(t.db.raw('SELECT 1'))).toBe('no error');
    const owner = (await t.db.raw(`SELECT tableowner FROM pg_tables WHERE tablename = 'journal_entries'`)).rows[0].tableowner;
    expect(owner).not.toBe(process.env.DATABASE_APP_ROLE!.split(':')[0]);
  });
});
