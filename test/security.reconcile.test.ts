/**
 * Issue 8, item 7: verification reconciles every money-bearing domain row with its journal entry and
 * reports the first one that disagrees — on the demo county, rewritten row by row as a DBA could. (Each
 * module's reconciler, and the tables added since, are tampered in test/reconcile.test.ts.)
 */
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { fixedClock } from '../src/shared/clock';
import { loadDemo } from '../seeds/demo';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';
import { verifyChain } from '../src/modules/journal/journal.verify';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
}, 180_000); // the demo county on a loaded PostgreSQL can pass the 60 s default
afterAll(() => t.destroy());

it('the demo county reconciles', async () => {
  expect(await verifyChain(t.db)).toMatchObject({ intact: true });
});

// [table, column changed, how]: each rewrite of a domain row must be found, naming that table.
const REWRITES: [string, string, (v: any) => any][] = [
  ['income_records', 'amount_fen', (v) => Number(v) + 1],
  ['distribution_payments', 'amount_fen', (v) => Number(v) * 2],
  ['distribution_plans', 'total_fen', (v) => Number(v) - 100],
  ['income_records', 'entry_id', () => null],
];

it.each(REWRITES)('a rewritten %s.%s is reported as DOMAIN_MISMATCH', async (table, column, change) => {
  const appendOnly = table !== 'distribution_plans';
  if (appendOnly) await dropAppendOnly(t.db, table);
  const row = await t.db(table).whereNotNull(table === 'distribution_plans' ? 'execution_entry_id' : 'entry_id').orderBy('id').first();
  const original = row[column];
  try {
    if (column === 'entry_id') {
      const other = await t.db('journal_entries').where('kind', 'PAYMENT').first();
      await t.db(table).where({ id: row.id }).update({ entry_id: other.id });
    } else {
      await t.db(table).where({ id: row.id }).update({ [column]: change(original) });
    }
    const v = await verifyChain(t.db);
    expect(v.intact).toBe(false);
    if (!v.intact) {
      expect(v.failure.problem).toBe('DOMAIN_MISMATCH');
      expect(v.failure.expected).toBe(`${table} #${row.id}`);
    }
  } finally {
    await t.db(table).where({ id: row.id }).update({ [column]: original });
    if (appendOnly) await makeAppendOnly(t.db, table);
  }
  expect(await verifyChain(t.db)).toMatchObject({ intact: true });
});
