/**
 * The migration that folds disposal_policies into county_policies keeps every county's disposal numbers
 * (creating a policy row with the defaults where a county had none) and its down() puts them back; the
 * pledge-subject and proceeds re-use migrations roll back cleanly too.
 */
import { createTestDb, TestDb } from './helpers';
import { migrationSource } from '../src/db/migrations';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken } from '../src/modules/auth/auth.service';
import { REGIONS } from '../seeds/demo-data';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.destroy());

const NANJIANG = '511922000000';
const JIANGE = '510823000000';

/** Rolls back, latest first, down to and including the named migration (later ones go first). */
async function undoTo(db: TestDb['db'], migration: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const [done] = await db.migrate.list({ migrationSource });
    const last = done[done.length - 1] as string | { name?: string; file?: string };
    const name = typeof last === 'string' ? last : (last?.name ?? last?.file);
    await db.migrate.down({ migrationSource });
    if (name === migration) return;
  }
  throw new Error(`${migration} was never rolled back`);
}

it('moves each county\'s disposal numbers into its policy row, and back on rollback', async () => {
  const db = t.db;
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: '县财政', role: 'COUNTY_FINANCE', regionCode: NANJIANG }, '2026-11-01T00:00:00.000Z');
  await undoTo(db, '20261205052200_disposal_policy_into_county_policies.ts');
  expect(await db.schema.hasTable('disposal_policies')).toBe(true);
  await db('county_policies').insert({
    county_code: NANJIANG, notice_days: 15, dividend_share_ceiling_bp: 4000, min_collective_retention_bp: 1000, idle_funds_months: 6,
    results_notice_days: 20, formerly_poor_weight_bp: 10000, monitored_weight_bp: 15000, updated_at: '2026-10-01T00:00:00.000Z', updated_by: userId,
  });
  const at = '2026-11-01T00:00:00.000Z';
  await db('disposal_policies').insert([
    { county_code: NANJIANG, tier1_max_fen: 10_000_000, tier2_max_fen: 60_000_000, appraisal_threshold_fen: 40_000_000, exchange_threshold_fen: 3_000_000, notice_days: 12, proceeds_booking_days: 20, updated_at: at, updated_by: userId },
    { county_code: JIANGE, tier1_max_fen: 2_000_000, tier2_max_fen: 30_000_000, appraisal_threshold_fen: 30_000_000, exchange_threshold_fen: 1_000_000, notice_days: 7, proceeds_booking_days: 15, updated_at: at, updated_by: userId },
  ]);

  await db.migrate.latest({ migrationSource });
  expect(await db.schema.hasTable('disposal_policies')).toBe(false);
  const rows = await db('county_policies').orderBy('county_code');
  const cols = (r: any) => [
    r.county_code, r.notice_days, r.idle_funds_months, Number(r.disposal_tier1_max_fen), Number(r.disposal_tier2_max_fen),
    Number(r.disposal_appraisal_threshold_fen), Number(r.disposal_exchange_threshold_fen), r.disposal_notice_days, r.disposal_proceeds_booking_days,
  ];
  expect(rows.map(cols)).toEqual([
    [JIANGE, 10, 12, 2_000_000, 30_000_000, 30_000_000, 1_000_000, 7, 15],
    [NANJIANG, 15, 6, 10_000_000, 60_000_000, 40_000_000, 3_000_000, 12, 20],
  ]);

  await undoTo(db, '20261205052000_pledge_subjects.ts');
  expect((await db('disposal_policies').orderBy('county_code')).map((r: any) => [r.county_code, Number(r.tier1_max_fen), r.notice_days])).toEqual([
    [JIANGE, 2_000_000, 7],
    [NANJIANG, 10_000_000, 12],
  ]);
  expect(await db.schema.hasTable('disposal_proceeds_reuses')).toBe(false);
  expect(await db.schema.hasColumn('asset_pledges', 'bundle_member_id')).toBe(false);
  await db.migrate.latest({ migrationSource });
  expect(await db.schema.hasColumn('asset_pledges', 'bundle_member_id')).toBe(true);
});
