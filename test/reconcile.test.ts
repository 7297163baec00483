/**
 * 账实核对 per module (docs/journal.md, issue 17 item 1): each module that keeps money-bearing rows registers
 * a reconciler with the journal's verify; verify composes them. On the demo county (which has income,
 * payments, plan executions and the receipts they took, a venture's split and cash contributions — one
 * returned — a disposal with insurance proceeds and a paid upkeep record) every row reconciles, and each
 * rewrite of a domain row's amount or entry link, as a DBA could make it, is reported as DOMAIN_MISMATCH
 * naming that row.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { fixedClock } from '../src/shared/clock';
import { loadDemo } from '../seeds/demo';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';
import { APPEND_ONLY_TABLES } from '../src/db/tables';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { registeredReconcilers } from '../src/modules/journal/journal.reconcile';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
}, 180_000); // the demo county on a loaded PostgreSQL can pass the 60 s default
afterAll(() => t.destroy());

const RECONCILED = [
  'account_balances',
  'bundle_contributions',
  'bundle_income_splits',
  'disposal_proceeds_reuses',
  'disposals',
  'distribution_payment_reversals',
  'distribution_payments',
  'distribution_plan_receipts',
  'distribution_plans',
  'income_records',
  'upkeep_records',
];

it('every money-bearing table has its module reconciler registered, and npm run verify loads the same ones', () => {
  // test/helpers loads the server, which loads every module (as the running API does).
  const registered = registeredReconcilers();
  expect(registered.map((r) => r.table).sort()).toEqual(RECONCILED);
  const cli = fs.readFileSync(path.join(__dirname, '..', 'src', 'cli', 'verify.ts'), 'utf8');
  // The journal's own (account_balances) registers in journal.reconcile.ts, which the command imports by name.
  expect(cli).toContain(`from '../modules/journal/journal.reconcile';`);
  for (const m of new Set(registered.map((r) => r.module).filter((m) => m !== 'journal'))) expect(cli).toContain(`import '../modules/${m}/${m}.reconcile';`);
});

it('the demo county reconciles, every reconciler having rows to check', async () => {
  for (const table of RECONCILED.filter((x) => x !== 'distribution_payment_reversals')) {
    expect(Number((await t.db(table).count({ n: '*' }).first())!.n)).toBeGreaterThan(0);
  }
  expect(await verifyChain(t.db)).toMatchObject({ intact: true });
});

type Rewrite = {
  name: string;
  /** The row rewritten (table, how to find it), and the row the failure must name. */
  table: string;
  find: (db: TestDb['db']) => Promise<{ id: number; [k: string]: any }>;
  column: string;
  change: (row: any, db: TestDb['db']) => Promise<unknown> | unknown;
  reported: (row: any) => string;
};

const entryOfKind = async (db: TestDb['db'], kind: string) => (await db('journal_entries').where({ kind }).orderBy('id').first()).id;

const REWRITES: Rewrite[] = [
  {
    name: 'a split amount',
    table: 'bundle_income_splits',
    find: (db) => db('bundle_income_splits').orderBy('id').first(),
    column: 'amount_fen',
    change: (r) => Number(r.amount_fen) + 1,
    reported: (r) => `bundle_income_splits #${r.id}`,
  },
  {
    name: "a split's entry link",
    table: 'bundle_income_splits',
    find: (db) => db('bundle_income_splits').orderBy('id').first(),
    column: 'entry_id',
    change: (_r, db) => entryOfKind(db, 'INCOME'),
    reported: (r) => `bundle_income_splits #${r.id}`,
  },
  {
    // The total still matches; one member's line is a fen richer and another's a fen poorer.
    name: "a split line's amount (per member)",
    table: 'bundle_income_split_lines',
    find: (db) => db('bundle_income_split_lines').where('amount_fen', '>', 0).orderBy('id').first(),
    column: 'amount_fen',
    change: (r) => Number(r.amount_fen) - 1,
    reported: (r) => `bundle_income_splits #${r.split_id}`,
  },
  {
    name: 'a cash contribution',
    table: 'bundle_contributions',
    find: (db) => db('bundle_contributions').where({ kind: 'CASH' }).orderBy('id').first(),
    column: 'value_fen',
    change: (r) => Number(r.value_fen) + 100,
    reported: (r) => `bundle_contributions #${r.id}`,
  },
  {
    // Pointing the return at the contribution's own entry: same kind, same amount, money the other way.
    name: "a returned contribution's return entry",
    table: 'bundle_contributions',
    find: (db) => db('bundle_contributions').where({ status: 'RETURNED' }).whereNotNull('return_entry_id').orderBy('id').first(),
    column: 'return_entry_id',
    change: (r) => r.entry_id,
    reported: (r) => `bundle_contributions #${r.id}`,
  },
  {
    name: "a disposal's proceeds",
    table: 'disposals',
    find: (db) => db('disposals').where({ status: 'EXECUTED' }).whereNotNull('entry_id').orderBy('id').first(),
    column: 'insurance_fen',
    change: (r) => Number(r.insurance_fen) + 1,
    reported: (r) => `disposals #${r.id}`,
  },
  {
    name: "a disposal's entry link",
    table: 'disposals',
    find: (db) => db('disposals').where({ status: 'EXECUTED' }).whereNotNull('entry_id').orderBy('id').first(),
    column: 'entry_id',
    change: () => null,
    reported: (r) => `disposals #${r.id}`,
  },
  {
    name: "a re-use of disposal proceeds' amount",
    table: 'disposal_proceeds_reuses',
    find: (db) => db('disposal_proceeds_reuses').orderBy('id').first(),
    column: 'amount_fen',
    change: (r) => Number(r.amount_fen) - 1,
    reported: (r) => `disposal_proceeds_reuses #${r.id}`,
  },
  {
    name: "a re-use's entry link",
    table: 'disposal_proceeds_reuses',
    find: (db) => db('disposal_proceeds_reuses').orderBy('id').first(),
    column: 'entry_id',
    change: (_r, db) => entryOfKind(db, 'INCOME'),
    reported: (r) => `disposal_proceeds_reuses #${r.id}`,
  },
  {
    name: 'an upkeep cost',
    table: 'upkeep_records',
    find: (db) => db('upkeep_records').whereNotNull('entry_id').orderBy('id').first(),
    column: 'cost_fen',
    change: (r) => Number(r.cost_fen) * 2,
    reported: (r) => `upkeep_records #${r.id}`,
  },
  {
    name: "an upkeep record's entry link",
    table: 'upkeep_records',
    find: (db) => db('upkeep_records').whereNotNull('entry_id').orderBy('id').first(),
    column: 'entry_id',
    change: (_r, db) => entryOfKind(db, 'INCOME'),
    reported: (r) => `upkeep_records #${r.id}`,
  },
  {
    name: "a plan receipt's amount",
    table: 'distribution_plan_receipts',
    find: (db) => db('distribution_plan_receipts').orderBy('id').first(),
    column: 'amount_fen',
    change: (r) => Number(r.amount_fen) + 1,
    reported: (r) => `distribution_plan_receipts #${r.id}`,
  },
  {
    name: "a plan receipt's entry link",
    table: 'distribution_plan_receipts',
    find: (db) => db('distribution_plan_receipts').orderBy('id').first(),
    column: 'entry_id',
    change: (_r, db) => entryOfKind(db, 'PAYMENT'),
    reported: (r) => `distribution_plan_receipts #${r.id}`,
  },
  {
    name: "a payment's entry link",
    table: 'distribution_payments',
    find: (db) => db('distribution_payments').orderBy('id').first(),
    column: 'entry_id',
    change: (_r, db) => entryOfKind(db, 'DISTRIBUTION'),
    reported: (r) => `distribution_payments #${r.id}`,
  },
  {
    name: "a plan's execution entry link",
    table: 'distribution_plans',
    find: (db) => db('distribution_plans').whereNotNull('execution_entry_id').orderBy('id').first(),
    column: 'execution_entry_id',
    change: (_r, db) => entryOfKind(db, 'INCOME'),
    reported: (r) => `distribution_plans #${r.id}`,
  },
];

it.each(REWRITES.map((r) => [r.name, r] as const))('rewriting %s is reported as DOMAIN_MISMATCH naming the row', async (_name, w) => {
  const appendOnly = (APPEND_ONLY_TABLES as readonly string[]).includes(w.table);
  if (appendOnly) await dropAppendOnly(t.db, w.table);
  const row = await w.find(t.db);
  expect(row).toBeDefined();
  const original = row[w.column];
  try {
    const changed = await w.change(row, t.db);
    expect(changed).not.toEqual(original);
    await t.db(w.table).where({ id: row.id }).update({ [w.column]: changed });
    const v = await verifyChain(t.db);
    expect(v.intact).toBe(false);
    if (!v.intact) {
      expect(v.failure.problem).toBe('DOMAIN_MISMATCH');
      expect(v.failure.expected).toBe(w.reported(row));
    }
  } finally {
    await t.db(w.table).where({ id: row.id }).update({ [w.column]: original });
    if (appendOnly) await makeAppendOnly(t.db, w.table);
  }
  expect(await verifyChain(t.db)).toMatchObject({ intact: true });
});
