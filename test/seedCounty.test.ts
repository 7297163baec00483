/**
 * seed:county (scripts/seed-county.ts, issue 16): at a tiny size the generated county verifies, balances, and
 * its register counts are the arguments. No timings here: speed lives in `npm run bench`.
 */
import { createTestDb, TestDb } from './helpers';
import { seedCounty, COUNTY, PROVINCE, SEED_TOKENS } from '../scripts/seed-county';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { trialBalance } from '../src/modules/journal/journal.service';
import { authenticate } from '../src/modules/auth/auth.service';
import { fixedClock } from '../src/shared/clock';

const count = async (t: TestDb, table: string) => Number((await t.db(table).count({ n: '*' }).first())?.n);

describe('seed:county', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.destroy());

  it('builds a county whose counts match the arguments, whose journal verifies and balances', async () => {
    const s = await seedCounty(t.db, { assets: 300, households: 40, incomeRows: 120, villages: 5, seed: 7 });
    expect(s).toMatchObject({ assets: 300, households: 40, incomeRows: 120, entries: 120, villages: 5 });
    expect(await count(t, 'assets')).toBe(300);
    expect(await count(t, 'households')).toBe(40);
    expect(await count(t, 'income_records')).toBe(120);
    expect(await count(t, 'journal_entries')).toBe(120);
    expect(Number((await t.db('regions').where({ level: 'VILLAGE' }).count({ n: '*' }).first())?.n)).toBe(5);
    // Every asset has funding lines summing to its value, and every project's lines sum to its total.
    const unfunded = await t.db('assets as a')
      .leftJoin(t.db('asset_funding_lines').select('asset_id').sum({ fen: 'amount_fen' }).groupBy('asset_id').as('f'), 'f.asset_id', 'a.id')
      .whereRaw('coalesce(f.fen, 0) <> a.original_value_fen')
      .count({ n: '*' })
      .first();
    expect(Number(unfunded?.n)).toBe(0);
    // Three classes and several statuses, as a register has.
    expect((await t.db('assets').distinct('class')).length).toBe(3);
    expect((await t.db('assets').distinct('status')).length).toBeGreaterThanOrEqual(4);

    const v = await verifyChain(t.db);
    expect(v).toMatchObject({ intact: true, count: 120 });
    const actor = (await authenticate(t.db, `Bearer ${SEED_TOKENS.admin}`))!;
    expect(actor.regionCode).toBe(PROVINCE);
    const tb = await trialBalance({ db: t.db, clock: fixedClock('2026-11-22T02:00:00.000Z'), actor }, COUNTY, '2099-12-31');
    expect(tb).toMatchObject({ balanced: true, entryCount: 120, unbalancedEntryCount: 0 });
  });

  it('is deterministic from the seed and refuses a database that is not empty', async () => {
    const other = await createTestDb();
    try {
      await seedCounty(other.db, { assets: 300, households: 40, incomeRows: 120, villages: 5, seed: 7 });
      const head = async (d: TestDb) => (await d.db('journal_head').first()).last_hash;
      expect(await head(other)).toBe(await head(t));
      await expect(seedCounty(other.db, { assets: 1, households: 1, incomeRows: 0 })).rejects.toThrow(/not empty/);
    } finally {
      await other.destroy();
    }
  });
});
