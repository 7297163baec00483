/**
 * Issue 8, item 6: append-only tables cannot be rewritten by an upsert. On SQLite, INSERT OR REPLACE deletes
 * the clashing row without firing DELETE triggers unless recursive triggers are on; on PostgreSQL,
 * INSERT … ON CONFLICT DO UPDATE is an update. Every append-only table, on the demo county's data.
 */
import { createTestDb, TestDb, onPostgres, TEST_NOW, failureOf } from './helpers';
import { fixedClock } from '../src/shared/clock';
import { loadDemo } from '../seeds/demo';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { APPEND_ONLY_TABLES } from '../src/db/tables';

let t: TestDb;
let tables: string[];

/** Every append-only table (src/db/tables.ts, the list migrations and tests share) and its key column. */
const KEY_OF: Record<string, string> = { document_blobs: 'document_id' };
const APPEND_ONLY: Record<string, string> = Object.fromEntries(APPEND_ONLY_TABLES.map((t) => [t, KEY_OF[t] ?? 'id']));

/** Append-only tables as the database knows them (by their DELETE-refusing triggers). */
async function appendOnly(): Promise<string[]> {
  if (onPostgres) {
    const r = await t.db.raw(`SELECT DISTINCT event_object_table AS t FROM information_schema.triggers WHERE trigger_name LIKE '%\\_append\\_only' ORDER BY 1`);
    return r.rows.map((x: any) => x.t);
  }
  const rows = await t.db.raw(`SELECT tbl_name AS t FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_no\\_delete' ESCAPE '\\' ORDER BY 1`);
  return rows.map((x: any) => x.t);
}

beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
  tables = await appendOnly();
  // Nor a checkpoint: write the head down once.
  if (!(await t.db('journal_checkpoints').first())) {
    const head = await t.db('journal_head').where({ id: 1 }).first();
    const user = await t.db('users').orderBy('id').first();
    await t.db('journal_checkpoints').insert({ sequence: head.last_sequence, hash: head.last_hash, actor_user_id: user.id, recorded_at: TEST_NOW });
  }
  // The demo has no bounced payment: add one reversal row so that every table has a row to attack.
  if (!(await t.db('distribution_payment_reversals').first())) {
    const p = await t.db('distribution_payments').orderBy('id').first();
    await t.db('distribution_payment_reversals').insert({
      payment_id: p.id, plan_id: p.plan_id, reversed_on: p.paid_on, reason: '测试', entry_id: p.entry_id, recorded_by: p.recorded_by, recorded_at: TEST_NOW,
    });
  }
});
afterAll(() => t.destroy());

it('knows every append-only table of the database (add new ones to APPEND_ONLY)', () => {
  expect(tables.filter((x) => !(x in APPEND_ONLY))).toEqual([]);
});

async function rowCount(table: string): Promise<number> {
  return Number((await t.db(table).count({ n: '*' }).first())!.n);
}

describe('an upsert of an existing row is refused on every append-only table', () => {
  it.each(Object.entries(APPEND_ONLY))('%s', async (table, key) => {
    const before = await t.db(table).orderBy(key).first();
    // A table the demo leaves empty has nothing to overwrite; its triggers are checked in appendOnly.test.ts.
    if (!before) return;
    const n = await rowCount(table);
    const cols = Object.keys(before);
    const attack = onPostgres
      ? t.db.raw(`INSERT INTO ${table} SELECT * FROM ${table} WHERE ${key} = ? ON CONFLICT (${key}) DO UPDATE SET ${cols.filter((c) => c !== key).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`, [before[key]])
      : t.db.raw(`INSERT OR REPLACE INTO ${table} SELECT * FROM ${table} WHERE ${key} = ?`, [before[key]]);
    expect(await failureOf(attack)).toMatch(/APPEND_ONLY/);
    expect(await rowCount(table)).toBe(n);
    expect(await t.db(table).where({ [key]: before[key] }).first()).toEqual(before);
  });
});

(onPostgres ? describe.skip : describe)('SQLite: both locks hold on their own', () => {
  it('a connection without recursive triggers (the sqlite3 shell) is still refused, by the BEFORE INSERT trigger', async () => {
    await t.db.raw('PRAGMA recursive_triggers = OFF');
    try {
      const p = await t.db('distribution_payments').orderBy('id').first();
      const attack = t.db.raw(`INSERT OR REPLACE INTO distribution_payments (id, plan_id, household_id, amount_fen, paid_on, bank_reference, entry_id, recorded_by, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [p.id, p.plan_id, p.household_id, 1, p.paid_on, p.bank_reference, p.entry_id, p.recorded_by, p.recorded_at]);
      expect(await failureOf(attack)).toMatch(/APPEND_ONLY/);
      expect((await t.db('distribution_payments').where({ id: p.id }).first()).amount_fen).toBe(p.amount_fen);
    } finally {
      await t.db.raw('PRAGMA recursive_triggers = ON');
    }
  });

  it('with the BEFORE INSERT trigger gone, recursive triggers make REPLACE fire the DELETE trigger', async () => {
    await t.db.raw('DROP TRIGGER asset_events_no_replace');
    const e = await t.db('asset_events').orderBy('id').first();
    const attack = t.db.raw(`INSERT OR REPLACE INTO asset_events SELECT * FROM asset_events WHERE id = ?`, [e.id]);
    expect(await failureOf(attack)).toMatch(/APPEND_ONLY.*DELETE/);
    expect(await t.db('asset_events').where({ id: e.id }).first()).toEqual(e);
  });

  it('the journal chain still verifies after the attempts', async () => {
    // The only disagreement is the payment reversal row this file inserted without a reversal entry.
    const v = await verifyChain(t.db);
    if (!v.intact) expect(v.failure).toMatchObject({ problem: 'DOMAIN_MISMATCH', expected: expect.stringMatching(/^distribution_payment_reversals #/) });
  });
});
