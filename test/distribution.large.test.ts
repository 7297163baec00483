import { setup, TestEnv, count } from './helpers';
import { fundVillage, planAt } from './distribution.helpers';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { V } from '../seeds/demo-data';

// A plan larger than SQLite's 500-term compound INSERT: recipients and postings are written in batches.
describe('a plan with 600 recipient households', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it('executes in one journal entry with a posting per household, and the chain verifies', async () => {
    await fundVillage(env, V.chaping, 60_000_000);
    const now = env.clock.now();
    const rows = Array.from({ length: 600 }, (_, i) => ({
      village_code: V.chaping, head_name: `批量户${i}`, id_number: `T${String(i).padStart(17, '0')}`,
      member_count: 1 + (i % 5), status: 'FORMERLY_POOR', created_at: now, updated_at: now,
    }));
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 200) {
      const inserted = await env.db('households').insert(rows.slice(i, i + 200)).returning('id');
      ids.push(...inserted.map((r: any) => r.id ?? r));
    }
    for (let i = 0; i < ids.length; i += 200) {
      await env.db('household_status_changes').insert(
        ids.slice(i, i + 200).map((id) => ({ household_id: id, status: 'FORMERLY_POOR', effective_on: '2020-12-31', actor_user_id: env.userIds.admin, recorded_at: now })),
      );
    }
    const planId = await planAt(env, 'EXECUTED', ids.map((id) => `Household:${id}`), {});
    const plan = await env.db('distribution_plans').where({ id: Number(planId.split(':')[1]) }).first();
    expect(plan.status).toBe('EXECUTED');
    expect(await count(env.db, 'journal_postings', { entry_id: plan.execution_entry_id })).toBe(1 + 3 + 600);
    expect((await verifyChain(env.db)).intact).toBe(true);
  });
});
