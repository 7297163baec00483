/**
 * The migration that merges contract_term_limits into county_policies keeps every county's maximum term
 * (creating a policy row with the defaults where a county had none) and its down() puts them back.
 */
import { createTestDb, TestDb, count } from './helpers';
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

/** Rolls back, latest first, down to and including the revitalisation migration (later ones go first). */
async function undoRevitalisation(db: TestDb['db']): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const [done] = await db.migrate.list({ migrationSource });
    const last = done[done.length - 1] as string | { name?: string; file?: string };
    const name = typeof last === 'string' ? last : (last?.name ?? last?.file);
    await db.migrate.down({ migrationSource });
    if (name === '20261205030000_revitalisation.ts') return;
  }
  throw new Error('the revitalisation migration was never rolled back');
}

it('moves each county\'s maximum contract term into its policy row, and back on rollback', async () => {
  const db = t.db;
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: '县规划', role: 'COUNTY_PLANNER', regionCode: NANJIANG }, '2026-11-01T00:00:00.000Z');
  await undoRevitalisation(db);
  expect(await db.schema.hasTable('contract_term_limits')).toBe(true);
  await db('contract_term_limits').insert([
    { county_code: NANJIANG, max_years: 15, actor_user_id: userId, updated_at: '2026-11-01T00:00:00.000Z' },
    { county_code: JIANGE, max_years: 25, actor_user_id: userId, updated_at: '2026-11-01T00:00:00.000Z' },
  ]);
  await db('county_policies').insert({
    county_code: JIANGE, notice_days: 15, dividend_share_ceiling_bp: 4000, min_collective_retention_bp: 1000, idle_funds_months: 6,
    results_notice_days: 20, formerly_poor_weight_bp: 10000, monitored_weight_bp: 15000, updated_at: '2026-10-01T00:00:00.000Z', updated_by: userId,
  });

  await db.migrate.latest({ migrationSource });
  expect(await db.schema.hasTable('contract_term_limits')).toBe(false);
  const rows = await db('county_policies').orderBy('county_code');
  expect(rows.map((r: any) => [r.county_code, r.notice_days, r.idle_funds_months, r.max_contract_term_years, r.idle_months, r.low_efficiency_benchmark_bp, r.benefit_excuse_workers])).toEqual([
    [JIANGE, 15, 6, 25, 12, 300, 10],
    [NANJIANG, 10, 12, 15, 12, 300, 10],
  ]);

  await undoRevitalisation(db);
  expect((await db('contract_term_limits').orderBy('county_code')).map((r: any) => [r.county_code, r.max_years])).toEqual([
    [JIANGE, 25],
    [NANJIANG, 15],
  ]);
  await db.migrate.latest({ migrationSource });
  expect(await count(db, 'county_policies')).toBe(2);
});
