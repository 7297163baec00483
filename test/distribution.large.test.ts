import { setup, TestEnv, count } from './helpers';
import { CREATE, fundVillage, planAt, planInput } from './distribution.helpers';
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

  // 200 households or more: the village's households and their statuses on the plan date are read once
  // (villageOnDate), not by id. Both paths must judge alike: status on the plan date, same-day changes by
  // id, another village's household not found.
  it('judges eligibility on the plan date alike whether the plan reads its village at once or households by id', async () => {
    await fundVillage(env, V.chaping, 60_000_000);
    const now = env.clock.now();
    const many: number[] = (await env.db('households').where({ village_code: V.chaping }).where('head_name', 'like', '批量户%').orderBy('id').select('id')).map((r: any) => r.id);
    expect(many.length).toBeGreaterThanOrEqual(200);
    const add = async (village: string, name: string, changes: [string, string][]) => {
      const [r] = await env.db('households').insert({ village_code: village, head_name: name, id_number: `E${name.padStart(17, '0')}`, member_count: 2, status: changes[changes.length - 1][0], created_at: now, updated_at: now }).returning('id');
      const id = r.id ?? r;
      for (const [status, on] of changes) await env.db('household_status_changes').insert({ household_id: id, status, effective_on: on, actor_user_id: env.userIds.admin, recorded_at: now });
      return id as number;
    };
    const laterOrdinary = await add(V.chaping, '1', [['FORMERLY_POOR', '2020-12-31'], ['ORDINARY', '2025-03-01']]);
    const earlierOrdinary = await add(V.chaping, '2', [['FORMERLY_POOR', '2020-12-31'], ['ORDINARY', '2024-06-30']]);
    const sameDayPoorLast = await add(V.chaping, '3', [['ORDINARY', '2024-01-01'], ['FORMERLY_POOR', '2024-01-01']]);
    const sameDayOrdinaryLast = await add(V.chaping, '4', [['FORMERLY_POOR', '2024-01-01'], ['ORDINARY', '2024-01-01']]);
    const elsewhere = await add(V.jintai, '5', [['FORMERLY_POOR', '2020-12-31']]);
    const gids = (ids: number[]) => ids.map((id) => `Household:${id}`);
    const plans = await count(env.db, 'distribution_plans');
    for (const [who, code] of [[earlierOrdinary, 'INELIGIBLE_BENEFICIARY'], [sameDayOrdinaryLast, 'INELIGIBLE_BENEFICIARY'], [elsewhere, 'NOT_FOUND']] as const) {
      for (const named of [[...many, who], [...many.slice(0, 5), who]]) {
        const body: any = await env.gql('clerk', CREATE, { input: planInput(gids(named)) });
        expect(body.data.distributionPlanCreate.errors[0]).toMatchObject({ code, field: ['input', 'lines', '0', 'recipients', String(named.length - 1), 'householdId'] });
      }
    }
    expect(await count(env.db, 'distribution_plans')).toBe(plans);
    const body: any = await env.gql('clerk', CREATE, { input: planInput(gids([...many, laterOrdinary, sameDayPoorLast])) });
    expect(body.data.distributionPlanCreate.errors).toEqual([]);
    const planId = Number(body.data.distributionPlanCreate.plan.id.split(':')[1]);
    const stored = await env.db('distribution_recipients').where({ plan_id: planId }).whereIn('household_id', [laterOrdinary, sameDayPoorLast]).select('household_status');
    expect(stored.map((r: any) => r.household_status)).toEqual(['FORMERLY_POOR', 'FORMERLY_POOR']);
    expect(await count(env.db, 'distribution_recipients', { plan_id: planId })).toBe(many.length + 2);
  });
});
