/**
 * Issue 15, item 8: rules that a mutation of the code survived. Each test here was watched failing with
 * its rule broken (the boundary moved, the check removed) before it was kept.
 */
import { setup, TestEnv, snapshot, count, gidNum } from './helpers';
import { APPROVE, MEETING, MEETINGS, fundVillage, households, ok, planAt } from './distribution.helpers';
import { createProject, registerAsset } from './fixtures';
import { computePlanFlags, fundsIdleFlag } from '../src/modules/distribution/distribution.flags';
import { DEFAULT_POLICY, CountyPolicy } from '../src/modules/policy/policy.types';
import type { Plan } from '../src/modules/distribution/distribution.types';
import { V } from '../seeds/demo-data';
import { createPlan, MAX_PLAN_HOUSEHOLDS } from '../src/modules/distribution/distribution.service';

const policy: CountyPolicy = { countyCode: '511922000000', ...DEFAULT_POLICY, isDefault: true, updatedAt: null };
const plan = { id: 1, villageCode: V.chaping, totalFen: 1_000_000, status: 'DRAFT', noticeEndOn: null } as unknown as Plan;
const flagsOf = (lines: Parameters<typeof computePlanFlags>[0]['lines']) =>
  computePlanFlags({ plan, lines, payments: [], policy, today: '2026-11-22' }).map((f) => f.code);
const cash = (type: 'HOUSEHOLD_DIVIDEND' | 'REWARD_GRANT' | 'PUBLIC_WELFARE_JOB', amounts: number[], from = 1) => ({
  type,
  amountFen: amounts.reduce((s, a) => s + a, 0),
  recipients: amounts.map((amountFen, i) => ({ householdId: from + i, amountFen })),
});
const RETAIN = { type: 'COLLECTIVE_RETENTION' as const, amountFen: 500_000, recipients: [] };

describe('meeting quorum (四议: two thirds present)', () => {
  let env: TestEnv;
  let hs: string[];
  beforeAll(async () => {
    env = await setup();
    hs = await households(env, 2);
  });
  afterAll(() => env.close());

  async function draftAtStep(step: number): Promise<string> {
    await fundVillage(env, V.chaping, 10_000_000);
    const planId = await planAt(env, 'DRAFT', hs);
    for (const m of MEETINGS.slice(0, step)) await ok(env, 'clerk', MEETING, { planId, ...m });
    return planId;
  }

  it.each([
    ['PARTY_MEMBERS', 2],
    ['REPRESENTATIVES', 3],
  ] as const)('%s: exactly two thirds present is a quorum; one fewer is not, and writes nothing', async (_step, index) => {
    const planId = await draftAtStep(index);
    const meeting = { ...MEETINGS[index], memberCount: 30, votesFor: 19, votesAgainst: 0, abstentions: 0 };
    const before = await snapshot(env.db, ['distribution_meetings', 'distribution_events', 'distribution_plans']);
    const short = await env.gql('clerk', MEETING, { input: { planId, ...meeting, attendance: 19 } });
    expect(short.data.distributionMeetingRecord.errors[0]).toMatchObject({ code: 'QUORUM_NOT_MET', field: ['input', 'attendance'] });
    expect(await snapshot(env.db, ['distribution_meetings', 'distribution_events', 'distribution_plans'])).toEqual(before);
    const exact = await env.gql('clerk', MEETING, { input: { planId, ...meeting, attendance: 20 } });
    expect(exact.data.distributionMeetingRecord.errors).toEqual([]);
    expect(await count(env.db, 'distribution_meetings', { plan_id: gidNum(planId) })).toBe(index + 1);
  });
});

describe('flags at their boundaries', () => {
  it('DUPLICATE_RECIPIENT: the same household in two lines of one type, not in lines of different types', () => {
    expect(flagsOf([cash('REWARD_GRANT', [10_000, 20_000], 1), cash('REWARD_GRANT', [30_000], 2), RETAIN])).toContain('DUPLICATE_RECIPIENT');
    expect(flagsOf([cash('REWARD_GRANT', [10_000, 20_000], 1), cash('HOUSEHOLD_DIVIDEND', [30_000], 2), RETAIN])).not.toContain('DUPLICATE_RECIPIENT');
  });

  it('FLAT_EQUAL_SPLIT: three cash recipients within one fen of each other are flat; two fen apart, two recipients, or job wages are not', () => {
    expect(flagsOf([cash('HOUSEHOLD_DIVIDEND', [10_000, 10_001, 10_001]), RETAIN])).toContain('FLAT_EQUAL_SPLIT');
    expect(flagsOf([cash('HOUSEHOLD_DIVIDEND', [10_000, 10_000, 10_000]), RETAIN])).toContain('FLAT_EQUAL_SPLIT');
    expect(flagsOf([cash('HOUSEHOLD_DIVIDEND', [10_000, 10_001, 10_002]), RETAIN])).not.toContain('FLAT_EQUAL_SPLIT');
    expect(flagsOf([cash('HOUSEHOLD_DIVIDEND', [10_000, 10_000]), RETAIN])).not.toContain('FLAT_EQUAL_SPLIT');
    expect(flagsOf([cash('PUBLIC_WELFARE_JOB', [10_000, 10_000, 10_000]), RETAIN])).not.toContain('FLAT_EQUAL_SPLIT');
  });

  it('FUNDS_IDLE: income waiting exactly the county months is not idle yet; a day more is', () => {
    expect(fundsIdleFlag(V.chaping, '2025-11-22', policy, '2026-11-22')).toBeNull();
    expect(fundsIdleFlag(V.chaping, '2025-11-21', policy, '2026-11-22')).toMatchObject({ code: 'FUNDS_IDLE', villageCode: V.chaping });
    expect(fundsIdleFlag(V.chaping, '2025-11-21', { ...policy, idleFundsMonths: 13 }, '2026-11-22')).toBeNull();
  });
});

describe('eligibility re-checked at approval (dividends)', () => {
  it('refuses to approve a plan whose dividend recipient, as the history now stands, was not eligible on the plan date', async () => {
    const env = await setup();
    try {
      await fundVillage(env, V.chaping, 10_000_000);
      const hs = await households(env, 2);
      const planId = await planAt(env, 'IN_NOTICE', hs);
      // A correction recorded after drafting: the household left 脱贫户 status before the plan date.
      await env.db('household_status_changes').insert({
        household_id: gidNum(hs[0]), status: 'ORDINARY', effective_on: '2025-01-01', actor_user_id: env.userIds.admin, recorded_at: '2026-11-22T01:00:00.000Z',
      });
      const before = await snapshot(env.db, ['distribution_plans', 'distribution_events']);
      const body = await env.gql('reviewer', APPROVE, { input: { planId, reviewedOn: '2025-01-28' } });
      expect(body.data.distributionPlanApprove.errors[0]).toMatchObject({ code: 'INELIGIBLE_BENEFICIARY', field: ['input', 'planId'] });
      expect(await snapshot(env.db, ['distribution_plans', 'distribution_events'])).toEqual(before);
      // A status change after the plan date does not matter: eligibility is judged on the plan date.
      await env.db('household_status_changes').insert({
        household_id: gidNum(hs[1]), status: 'ORDINARY', effective_on: '2025-06-01', actor_user_id: env.userIds.admin, recorded_at: '2026-11-22T01:00:00.000Z',
      });
      const fine = await env.db('distribution_recipients').where({ plan_id: gidNum(planId), household_id: gidNum(hs[0]) }).first();
      expect(fine).toBeTruthy();
    } finally {
      await env.close();
    }
  });
});

describe('asset funding lines (资金明细)', () => {
  it('refuses funding lines that sum to more than the original value, writing nothing', async () => {
    const env = await setup();
    try {
      const project = await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '900000.00' }, { source: 'VILLAGE_SELF_FUNDED', amount: '1000.00' }] });
      const before = await snapshot(env.db, ['assets', 'asset_funding_lines', 'asset_events']);
      const over = await env.gql('clerk', `mutation($input: AssetRegisterInput!) { assetRegister(input: $input) { asset { id } errors { code field } } }`, {
        input: {
          projectId: project.id, name: '超额资产', class: 'OPERATING', subType: 'PROCESSING_FACILITY', quantity: 1, unit: '座', villageCode: V.chaping,
          originalValue: '1000.00',
          fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '800.00' }, { source: 'VILLAGE_SELF_FUNDED', amount: '200.01' }],
          completedOn: '2021-10-01', acceptedOn: '2021-10-20', bookedOn: '2021-11-05',
        },
      });
      expect(over.data.assetRegister.errors[0]).toEqual({ code: 'FUNDING_MISMATCH', field: ['input', 'fundingLines'] });
      expect(await snapshot(env.db, ['assets', 'asset_funding_lines', 'asset_events'])).toEqual(before);
      // The same lines adding up exactly are accepted (the test's own control).
      const exact = await registerAsset(env, project.id, { originalValue: '1000.01', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '800.00' }, { source: 'VILLAGE_SELF_FUNDED', amount: '200.01' }] });
      expect(exact.id).toMatch(/^Asset:/);
    } finally {
      await env.close();
    }
  });
});

describe('a plan must fit in its execution entry', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it(`refuses at drafting a plan naming more than ${MAX_PLAN_HOUSEHOLDS} households (execution posts them in one entry), writing nothing`, async () => {
    await fundVillage(env, V.chaping, 10_000_000);
    const ids = Array.from({ length: MAX_PLAN_HOUSEHOLDS + 1 }, (_, i) => i + 1);
    const lines: object[] = [];
    for (let i = 0; i < ids.length; i += 20_000) {
      lines.push({ type: 'HOUSEHOLD_DIVIDEND', basis: 'FIXED', amountFen: 1_000_000, description: '分红', recipients: ids.slice(i, i + 20_000).map((householdId) => ({ householdId })) });
    }
    const before = await snapshot(env.db, ['distribution_plans', 'distribution_lines', 'distribution_events']);
    const problem = await env.db
      .transaction((trx) =>
        createPlan(env.svc('clerk', trx), { villageCode: V.chaping, title: '超大方案', periodFrom: '2025-01-01', periodTo: '2025-12-31', planOn: '2026-01-15', lines }),
      )
      .then(
        () => null,
        (e: { code?: string; errors?: { code: string }[] }) => e.code ?? e.errors?.[0]?.code,
      );
    expect(problem).toBe('OUT_OF_RANGE');
    expect(await snapshot(env.db, ['distribution_plans', 'distribution_lines', 'distribution_events'])).toEqual(before);
  });
});
