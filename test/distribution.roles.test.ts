import { setup, TestEnv, TokenName, snapshot } from './helpers';
import { APPROVE, CREATE, EXECUTE, fundVillage, households, planAt, planInput } from './distribution.helpers';
import { V } from '../seeds/demo-data';

/** Who may do each step of a distribution in 茶坪村, and what everyone else gets: FORBIDDEN or nothing. */
describe('distribution role matrix', () => {
  let env: TestEnv;
  let hs: string[];
  beforeAll(async () => {
    env = await setup();
    await fundVillage(env, V.chaping, 100_000_000);
    hs = await households(env, 2);
  });
  afterAll(() => env.close());

  const TABLES = ['distribution_plans', 'distribution_events', 'journal_entries'];
  const everyone: TokenName[] = ['admin', 'clerk', 'otherClerk', 'reviewer', 'otherReviewer', 'finance', 'planner', 'jiangeFinance', 'liangyaClerk'];
  // Outside the village's scope the plan does not exist (NOT_FOUND); inside it, a wrong role is FORBIDDEN.
  const outside = new Set<TokenName>(['otherClerk', 'otherReviewer', 'jiangeFinance', 'liangyaClerk']);

  async function expectRefused(user: TokenName, body: any, key: string, before: Record<string, number>) {
    if (outside.has(user) && body.data?.[key]) expect(body.data[key].errors[0].code).toBe('NOT_FOUND');
    else expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  }

  it.each(everyone)('%s: draft only as the village clerk or admin', async (user) => {
    const receipt = await fundVillage(env, V.chaping, 10_000);
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, CREATE, { input: planInput(hs, { receipts: [receipt], lines: [{ type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' }] }) });
    if (user === 'clerk' || user === 'admin') expect(body.data.distributionPlanCreate.errors).toEqual([]);
    else {
      // Drafting names the village directly, so every other role is FORBIDDEN.
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await snapshot(env.db, TABLES)).toEqual(before);
    }
  });

  it.each(everyone)('%s: approve only as the township reviewer or admin', async (user) => {
    const planId = await planAt(env, 'IN_NOTICE', hs, { receipts: [await fundVillage(env, V.chaping, 10_000_000)] });
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, APPROVE, { input: { planId, reviewedOn: '2025-01-28' } });
    if (user === 'reviewer' || user === 'admin') expect(body.data.distributionPlanApprove.plan.status).toBe('APPROVED');
    else await expectRefused(user, body, 'distributionPlanApprove', before);
  });

  it.each(everyone)('%s: execute only as the village clerk or admin', async (user) => {
    const planId = await planAt(env, 'APPROVED', hs, { receipts: [await fundVillage(env, V.chaping, 10_000_000)] });
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, EXECUTE, { input: { planId, executedOn: '2025-02-03', idempotencyKey: `matrix-${user}` } });
    if (user === 'clerk' || user === 'admin') expect(body.data.distributionPlanExecute.plan.status).toBe('EXECUTED');
    else await expectRefused(user, body, 'distributionPlanExecute', before);
  });
});
