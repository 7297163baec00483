/**
 * Issue 15, items 3–7: eligibility on every line that pays households, the procedure's edges, retries
 * that say what they did, payments per line, and what the stored notice carries.
 */
import { setup, TestEnv, snapshot, count, gidNum } from './helpers';
import {
  APPROVE, CANCEL, CREATE, NOTICE, PREVIEW, REJECT, RESULTS,
  fundVillage, households, ok, planAt, planInput,
} from './distribution.helpers';
import { HOUSEHOLD_REGISTER, householdInput } from './fixtures';
import { V } from '../seeds/demo-data';

const PLAN_TABLES = ['distribution_plans', 'distribution_lines', 'distribution_recipients', 'distribution_attendance', 'distribution_plan_receipts', 'distribution_events'];
const MONEY_TABLES = ['distribution_payments', 'distribution_payment_reversals', 'distribution_events', 'journal_entries', 'journal_postings'];
const POLICY = `mutation($input: CountyPolicyUpdateInput!) { countyPolicyUpdate(input: $input) { policy { townshipReview hardshipCategories jobWageShareCeilingBp } errors { code field } } }`;
const WITHDRAW = `mutation($input: DistributionApprovalWithdrawInput!) { distributionApprovalWithdraw(input: $input) { plan { status approvedOn events { action fromStatus toStatus reason } } errors { code field message } } }`;
const EXEC_R = `mutation($input: DistributionExecuteInput!) { distributionPlanExecute(input: $input) { plan { status } replayed errors { code field message } } }`;
const PAY_R = `mutation($input: DistributionPaymentInput!) { distributionPaymentRecord(input: $input) {
  plan { payments { household { id } lineNo amount paidOn bankReference } } replayed errors { code field message } } }`;
const UNPAY_R = `mutation($input: DistributionPaymentReverseInput!) { distributionPaymentReverse(input: $input) { replayed errors { code field message } } }`;
const REVERSE_R = `mutation($input: DistributionReverseInput!) { distributionPlanReverse(input: $input) { plan { status } replayed errors { code field message } } }`;
const LINES = `query($id: ID!) { distributionPlan(id: $id) { flags { code message }
  lines { lineNo type amount recipients { household { id } workDays hardshipCategory attendance { fromOn toOn days note } amount paidOn bankReference } } } }`;

const ROW = (fromOn: string, toOn: string, days: number) => ({ fromOn, toOn, days });
const RETAIN = { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' };

async function register(env: TestEnv, n: number, overrides: Record<string, unknown>) {
  const body = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(n, overrides) });
  return body.data.householdRegister.household.id as string;
}

describe('eligibility on every line that pays households (item 3)', () => {
  let env: TestEnv;
  let poor: string[];
  let ordinary: string;
  beforeAll(async () => {
    env = await setup();
    await fundVillage(env, V.chaping, 10_000_000);
    poor = await households(env, 3);
    ordinary = await register(env, 901, { status: 'ORDINARY' });
  });
  afterAll(() => env.close());

  it('refuses an ORDINARY household as a reward recipient, unless a hardship category the county lists is recorded', async () => {
    const reward = (recipients: object[]) => planInput(poor, { lines: [{ type: 'REWARD_GRANT', basis: 'PERCENT', percentBp: 1000, description: '奖励补助', recipients }, RETAIN] });
    const before = await snapshot(env.db, PLAN_TABLES);
    const refused = await env.gql('clerk', CREATE, { input: reward([{ householdId: ordinary }]) });
    expect(refused.data.distributionPlanCreate.errors[0]).toMatchObject({ code: 'INELIGIBLE_BENEFICIARY', field: ['input', 'lines', '0', 'recipients', '0', 'householdId'] });
    const unlisted = await env.gql('clerk', CREATE, { input: reward([{ householdId: ordinary, hardshipCategory: '低保户' }]) });
    expect(unlisted.data.distributionPlanCreate.errors[0]).toMatchObject({ code: 'INELIGIBLE_BENEFICIARY', field: ['input', 'lines', '0', 'recipients', '0', 'hardshipCategory'] });
    expect(await snapshot(env.db, PLAN_TABLES)).toEqual(before);

    expect((await ok(env, 'finance', POLICY, { countyCode: '511922000000', hardshipCategories: ['低保户', '特困人员'] })).policy.hardshipCategories).toEqual(['低保户', '特困人员']);
    const created = await ok(env, 'clerk', CREATE, reward([{ householdId: ordinary, hardshipCategory: '低保户' }, { householdId: poor[0] }]));
    const id = gidNum(created.plan.id);
    const rows = await env.db('distribution_recipients').where({ plan_id: id }).orderBy('id');
    expect(rows.map((r: any) => [r.household_status, r.hardship_category])).toEqual([
      ['ORDINARY', '低保户'],
      ['FORMERLY_POOR', null],
    ]);
    await ok(env, 'clerk', CANCEL, { planId: created.plan.id, reason: '测试' });
    await ok(env, 'finance', POLICY, { countyCode: '511922000000', hardshipCategories: [] });
  });

  it('pays job wages only against attendance rows with dates and days, split by their sum', async () => {
    const job = (recipients: object[]) => planInput(poor, { lines: [{ type: 'PUBLIC_WELFARE_JOB', basis: 'FIXED', amount: '9000.00', description: '保洁员', recipients }, RETAIN] });
    const cases: [object[], string, string[]][] = [
      [[{ householdId: ordinary, workDays: 200 }], 'WORK_NOT_RECORDED', ['attendance']],
      [[{ householdId: ordinary, attendance: [ROW('2024-03-01', '2024-03-31', 32)] }], 'OUT_OF_RANGE', ['attendance', '0', 'days']],
      [[{ householdId: ordinary, attendance: [ROW('2023-12-01', '2024-01-31', 40)] }], 'DATE_ORDER', ['attendance', '0', 'fromOn']],
      [[{ householdId: ordinary, attendance: [ROW('2024-03-01', '2024-03-31', 20), ROW('2024-03-15', '2024-04-15', 20)] }], 'DATE_ORDER', ['attendance', '1', 'fromOn']],
      [[{ householdId: ordinary, workDays: 99, attendance: [ROW('2024-03-01', '2024-03-31', 20)] }], 'INVALID_INPUT', ['workDays']],
    ];
    const before = await snapshot(env.db, PLAN_TABLES);
    for (const [recipients, code, tail] of cases) {
      const body = await env.gql('clerk', CREATE, { input: job(recipients) });
      expect(body.data.distributionPlanCreate.errors[0]).toMatchObject({ code, field: ['input', 'lines', '0', 'recipients', '0', ...tail] });
    }
    expect(await snapshot(env.db, PLAN_TABLES)).toEqual(before);

    const created = await ok(env, 'clerk', CREATE, job([
      { householdId: ordinary, attendance: [ROW('2024-01-01', '2024-01-31', 20), ROW('2024-02-01', '2024-02-29', 20)] },
      { householdId: poor[0], attendance: [ROW('2024-06-01', '2024-06-30', 20)] },
    ]));
    const plan = (await env.gql('finance', LINES, { id: created.plan.id })).data.distributionPlan;
    expect(plan.lines[0].recipients.map((r: any) => [r.workDays, r.amount, r.attendance.length])).toEqual([
      [40, '6000.00', 2],
      [20, '3000.00', 1],
    ]);
    expect(plan.lines[0].recipients[0].attendance[0]).toEqual({ fromOn: '2024-01-01', toOn: '2024-01-31', days: 20, note: null });
    expect(await count(env.db, 'distribution_attendance', { plan_id: gidNum(created.plan.id) })).toBe(3);
    await ok(env, 'clerk', CANCEL, { planId: created.plan.id, reason: '测试' });
  });

  it('flags one household taking more than the county share of the plan as job wages (90% here)', async () => {
    const input = planInput(poor, {
      lines: [{ type: 'PUBLIC_WELFARE_JOB', basis: 'PERCENT', percentBp: 9000, description: '护林员', recipients: [{ householdId: ordinary, attendance: [ROW('2024-01-01', '2024-12-31', 300)] }] }, RETAIN],
    });
    const preview = (await env.gql('clerk', PREVIEW, { input })).data.distributionPlanPreview.preview;
    expect(preview.flags.map((f: any) => f.code)).toContain('JOB_WAGE_CONCENTRATED');
    // Under the county's ceiling (raised to 95%) the flag goes.
    await ok(env, 'finance', POLICY, { countyCode: '511922000000', jobWageShareCeilingBp: 9500 });
    const raised = (await env.gql('clerk', PREVIEW, { input })).data.distributionPlanPreview.preview;
    expect(raised.flags.map((f: any) => f.code)).not.toContain('JOB_WAGE_CONCENTRATED');
    await ok(env, 'finance', POLICY, { countyCode: '511922000000', jobWageShareCeilingBp: 2000 });
  });

  it('re-checks dividend and reward recipients at approval, against the history as it then stands', async () => {
    // A household registered as 脱贫户 from 2020, corrected later: ORDINARY back to 2019, so on the plan date it was never eligible.
    const local = await setup();
    try {
      await fundVillage(local, V.chaping, 10_000_000);
      const hs = await households(local, 2);
      const planId = await planAt(local, 'IN_NOTICE', hs, {
        lines: [{ type: 'REWARD_GRANT', basis: 'FIXED', amount: '1000.00', description: '奖励', recipients: [{ householdId: hs[1] }] }, RETAIN],
      });
      await local.db('household_status_changes').insert({
        household_id: gidNum(hs[1]), status: 'ORDINARY', effective_on: '2025-01-01', actor_user_id: local.userIds.admin, recorded_at: '2026-11-22T01:00:00.000Z',
      });
      const before = await snapshot(local.db, PLAN_TABLES);
      const body = await local.gql('reviewer', APPROVE, { input: { planId, reviewedOn: '2025-01-28' } });
      expect(body.data.distributionPlanApprove.errors[0]).toMatchObject({ code: 'INELIGIBLE_BENEFICIARY', field: ['input', 'planId'] });
      expect(await snapshot(local.db, PLAN_TABLES)).toEqual(before);
    } finally {
      await local.close();
    }
  });
});

describe("the procedure's edges (item 4)", () => {
  let env: TestEnv;
  let hs: string[];
  beforeAll(async () => {
    env = await setup();
    hs = await households(env, 2);
  });
  afterAll(() => env.close());

  it('lets the township withdraw an approval before execution, with a reason, and then reject the plan', async () => {
    await fundVillage(env, V.chaping, 10_000_000);
    const planId = await planAt(env, 'APPROVED', hs);
    const before = await snapshot(env.db, PLAN_TABLES);
    const noReason = await env.gql('reviewer', WITHDRAW, { input: { planId, withdrawnOn: '2025-01-29', reason: '' } });
    expect(noReason.data.distributionApprovalWithdraw.errors[0].field).toEqual(['input', 'reason']);
    const early = await env.gql('reviewer', WITHDRAW, { input: { planId, withdrawnOn: '2025-01-27', reason: '误审' } });
    expect(early.data.distributionApprovalWithdraw.errors[0].code).toBe('DATE_ORDER');
    expect((await env.gql('clerk', WITHDRAW, { input: { planId, withdrawnOn: '2025-01-29', reason: '误审' } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await snapshot(env.db, PLAN_TABLES)).toEqual(before);

    const withdrawn = await ok(env, 'reviewer', WITHDRAW, { planId, withdrawnOn: '2025-01-29', reason: '误审：分红名单未核对' });
    expect(withdrawn.plan.status).toBe('IN_NOTICE');
    expect(withdrawn.plan.approvedOn).toBeNull();
    expect(withdrawn.plan.events.at(-1)).toEqual({ action: 'WITHDRAW_APPROVAL', fromStatus: 'APPROVED', toStatus: 'IN_NOTICE', reason: '误审：分红名单未核对' });
    const exec = await env.gql('clerk', EXEC_R, { input: { planId, executedOn: '2025-02-03', idempotencyKey: 'after-withdraw' } });
    expect(exec.data.distributionPlanExecute.errors[0].code).toBe('ILLEGAL_TRANSITION');
    expect((await ok(env, 'reviewer', REJECT, { planId, reviewedOn: '2025-01-30', reason: '名单有误，退回重拟' })).plan.status).toBe('REJECTED');
  });

  it('never withdraws an executed plan (its correction is a reversal)', async () => {
    await fundVillage(env, V.chaping, 10_000_000);
    const planId = await planAt(env, 'EXECUTED', hs);
    const body = await env.gql('reviewer', WITHDRAW, { input: { planId, withdrawnOn: '2025-02-04', reason: '误审' } });
    expect(body.data.distributionApprovalWithdraw.errors[0].code).toBe('ILLEGAL_TRANSITION');
  });

  it('follows the county setting: where the township reviews first, approval before the notice, execution after it', async () => {
    const local = await setup();
    try {
      expect((await ok(local, 'finance', POLICY, { countyCode: '511922000000', townshipReview: 'BEFORE_NOTICE' })).policy.townshipReview).toBe('BEFORE_NOTICE');
      await fundVillage(local, V.chaping, 10_000_000);
      const hh = await households(local, 2);
      const planId = await planAt(local, 'RESOLVED', hh);
      const early = await local.gql('clerk', NOTICE, { input: { planId, startOn: '2025-01-23' } });
      expect(early.data.distributionNoticePublish.errors[0].code).toBe('TOWNSHIP_REVIEW_PENDING');
      expect((await ok(local, 'reviewer', APPROVE, { planId, reviewedOn: '2025-01-23' })).plan.status).toBe('APPROVED');
      const beforeApproval = await local.gql('clerk', NOTICE, { input: { planId, startOn: '2025-01-22' } });
      expect(beforeApproval.data.distributionNoticePublish.errors[0].code).toBe('DATE_ORDER');
      const notice = await ok(local, 'clerk', NOTICE, { planId, startOn: '2025-01-24' });
      expect(notice.plan).toEqual({ status: 'APPROVED', noticeStartOn: '2025-01-24', noticeEndOn: '2025-02-02' });
      const inNotice = await local.gql('clerk', EXEC_R, { input: { planId, executedOn: '2025-02-02', idempotencyKey: 'x1' } });
      expect(inNotice.data.distributionPlanExecute.errors[0].code).toBe('NOTICE_NOT_ENDED');
      expect((await ok(local, 'clerk', EXEC_R, { planId, executedOn: '2025-02-03', idempotencyKey: 'x2' })).plan.status).toBe('EXECUTED');
      const report = (await local.gql('finance', `query($id: ID!) { distributionAuditReport(planId: $id) { datesInOrder procedure { step } } }`, { id: planId })).data.distributionAuditReport;
      expect(report.datesInOrder).toBe(true);
    } finally {
      await local.close();
    }
  });

  it('under the default (review during the notice) refuses approval of a plan whose notice is not up', async () => {
    await fundVillage(env, V.chaping, 10_000_000);
    const planId = await planAt(env, 'RESOLVED', hs);
    const body = await env.gql('reviewer', APPROVE, { input: { planId, reviewedOn: '2025-01-23' } });
    expect(body.data.distributionPlanApprove.errors[0].code).toBe('ILLEGAL_TRANSITION');
    await ok(env, 'clerk', CANCEL, { planId, reason: '测试' });
  });
});

describe('retries that say what they did, and payments per line (items 5 and 6)', () => {
  let env: TestEnv;
  let hs: string[];
  beforeAll(async () => {
    env = await setup();
    await fundVillage(env, V.chaping, 10_000_000);
    hs = await households(env, 2);
  });
  afterAll(() => env.close());

  it('returns replayed on execution, payment, payment reversal and plan reversal retries, posting nothing', async () => {
    const planId = await planAt(env, 'APPROVED', hs);
    const first = (await env.gql('clerk', EXEC_R, { input: { planId, executedOn: '2025-02-03', idempotencyKey: 'ex' } })).data.distributionPlanExecute;
    expect(first).toMatchObject({ replayed: false, errors: [], plan: { status: 'EXECUTED' } });
    let before = await snapshot(env.db, MONEY_TABLES);
    const again = (await env.gql('clerk', EXEC_R, { input: { planId, executedOn: '2025-02-03', idempotencyKey: 'ex' } })).data.distributionPlanExecute;
    expect(again).toMatchObject({ replayed: true, errors: [], plan: { status: 'EXECUTED' } });
    expect(await snapshot(env.db, MONEY_TABLES)).toEqual(before);

    const pay = { planId, householdId: hs[0], paidOn: '2025-02-05', bankReference: 'B1', idempotencyKey: 'pay-1' };
    expect((await env.gql('clerk', PAY_R, { input: pay })).data.distributionPaymentRecord.replayed).toBe(false);
    before = await snapshot(env.db, MONEY_TABLES);
    const payAgain = (await env.gql('clerk', PAY_R, { input: pay })).data.distributionPaymentRecord;
    expect(payAgain).toMatchObject({ replayed: true, errors: [] });
    expect(await snapshot(env.db, MONEY_TABLES)).toEqual(before);

    const unpay = { planId, householdId: hs[0], reversedOn: '2025-02-06', reason: '账号错误退票', idempotencyKey: 'unpay-1' };
    expect((await env.gql('clerk', UNPAY_R, { input: unpay })).data.distributionPaymentReverse).toEqual({ replayed: false, errors: [] });
    before = await snapshot(env.db, MONEY_TABLES);
    expect((await env.gql('clerk', UNPAY_R, { input: unpay })).data.distributionPaymentReverse).toEqual({ replayed: true, errors: [] });
    expect(await snapshot(env.db, MONEY_TABLES)).toEqual(before);

    await fundVillage(env, V.chaping, 10_000_000);
    const other = await planAt(env, 'EXECUTED', hs);
    const rev2 = { planId: other, reason: '重新编制', idempotencyKey: 'rev-2' };
    expect((await env.gql('clerk', REVERSE_R, { input: rev2 })).data.distributionPlanReverse).toMatchObject({ replayed: false, plan: { status: 'REVERSED' } });
    before = await snapshot(env.db, MONEY_TABLES);
    expect((await env.gql('clerk', REVERSE_R, { input: rev2 })).data.distributionPlanReverse).toMatchObject({ replayed: true, plan: { status: 'REVERSED' } });
    expect(await snapshot(env.db, MONEY_TABLES)).toEqual(before);
  });

  it('pays monthly wages and a yearly dividend of one household on different days, and publishes results only when every line is paid', async () => {
    const receipt = await fundVillage(env, V.chaping, 10_000_000);
    const planId = await planAt(env, 'EXECUTED', hs, {
      receipts: [receipt],
      lines: [
        { type: 'PUBLIC_WELFARE_JOB', basis: 'FIXED', amount: '6000.00', description: '保洁员工资', recipients: [{ householdId: hs[0], attendance: [ROW('2024-01-01', '2024-12-31', 200)] }] },
        { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 3000, description: '分红', recipients: hs.map((householdId) => ({ householdId })) },
        RETAIN,
      ],
    });
    const wages = await ok(env, 'clerk', PAY_R, { planId, householdId: hs[0], lineNo: 1, paidOn: '2025-02-05', bankReference: 'W-01', idempotencyKey: 'w1' });
    expect(wages.plan.payments).toEqual([{ household: { id: hs[0] }, lineNo: 1, amount: '6000.00', paidOn: '2025-02-05', bankReference: 'W-01' }]);
    const entry = await env.db('journal_entries').where('idempotency_key', 'like', '%w1').first(); // keys are stored scoped to the actor's region
    const postings = await env.db('journal_postings').where({ entry_id: entry.id });
    expect(postings.map((p: any) => Number(p.amount_fen)).sort((a: number, b: number) => a - b)).toEqual([-600_000, 600_000]);

    const twice = await env.gql('clerk', PAY_R, { input: { planId, householdId: hs[0], lineNo: 1, paidOn: '2025-02-06', bankReference: 'W-02', idempotencyKey: 'w2' } });
    expect(twice.data.distributionPaymentRecord.errors[0]).toMatchObject({ code: 'ALREADY_PAID', field: ['input', 'lineNo'] });
    const notHis = await env.gql('clerk', PAY_R, { input: { planId, householdId: hs[1], lineNo: 1, paidOn: '2025-02-06', bankReference: 'x', idempotencyKey: 'w3' } });
    expect(notHis.data.distributionPaymentRecord.errors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'lineNo'] });

    await ok(env, 'clerk', PAY_R, { planId, householdId: hs[1], paidOn: '2025-02-07', bankReference: 'D-02', idempotencyKey: 'd2' });
    const early = await env.gql('clerk', RESULTS, { input: { planId, startOn: '2025-02-20' } });
    expect(early.data.distributionResultsPublish.errors[0].code).toBe('UNPAID_RECIPIENTS'); // hs[0]'s dividend is still owed
    // Without lineNo the household's unpaid lines are paid: only the dividend is left.
    const dividend = await ok(env, 'clerk', PAY_R, { planId, householdId: hs[0], paidOn: '2025-03-01', bankReference: 'D-01', idempotencyKey: 'd1' });
    expect(dividend.plan.payments.filter((p: any) => p.household.id === hs[0]).map((p: any) => [p.lineNo, p.paidOn, p.bankReference])).toEqual([
      [1, '2025-02-05', 'W-01'],
      [2, '2025-03-01', 'D-01'],
    ]);
    const lines = (await env.gql('finance', LINES, { id: planId })).data.distributionPlan.lines;
    expect(lines[0].recipients[0]).toMatchObject({ paidOn: '2025-02-05', bankReference: 'W-01' });
    expect(lines[1].recipients.find((r: any) => r.household.id === hs[0])).toMatchObject({ paidOn: '2025-03-01', bankReference: 'D-01' });

    // A bounced payment of a household paid line by line names its line.
    const which = await env.gql('clerk', UNPAY_R, { input: { planId, householdId: hs[0], reversedOn: '2025-03-02', reason: '退票', idempotencyKey: 'u0' } });
    expect(which.data.distributionPaymentReverse.errors[0]).toMatchObject({ code: 'REQUIRED', field: ['input', 'lineNo'] });
    expect((await env.gql('clerk', UNPAY_R, { input: { planId, householdId: hs[0], lineNo: 2, reversedOn: '2025-03-02', reason: '退票', idempotencyKey: 'u1' } })).data.distributionPaymentReverse.errors).toEqual([]);
    expect((await env.gql('clerk', RESULTS, { input: { planId, startOn: '2025-03-03' } })).data.distributionResultsPublish.errors[0].code).toBe('UNPAID_RECIPIENTS');
    await ok(env, 'clerk', PAY_R, { planId, householdId: hs[0], lineNo: 2, paidOn: '2025-03-04', bankReference: 'D-01b', idempotencyKey: 'd1b' });
    expect((await ok(env, 'clerk', RESULTS, { planId, startOn: '2025-03-05' })).plan.status).toBe('CLOSED');
    const report = (await env.gql('finance', `query($id: ID!) { distributionAuditReport(planId: $id) { datesInOrder totals { paid unpaid reconciles } } }`, { id: planId })).data.distributionAuditReport;
    expect(report).toEqual({ datesInOrder: true, totals: { paid: '36000.00', unpaid: '0.00', reconciles: true } });
  });
});

describe('what the stored notice carries (item 7)', () => {
  it('holds what the printed notice needs: names, masked IDs, yuan, village, township, county and dates', async () => {
    const env = await setup();
    try {
      await fundVillage(env, V.chaping, 10_000_001);
      const hs = await households(env, 2);
      const planId = await planAt(env, 'IN_NOTICE', hs);
      const row = await env.db('distribution_notices').where({ plan_id: gidNum(planId), kind: 'PLAN' }).first();
      const content = JSON.parse(row.content);
      expect(content).toMatchObject({
        title: '茶坪村2024年度资产收益分配方案',
        village: { code: V.chaping, name: '茶坪村' },
        township: '云顶镇',
        county: '南江县',
        period: ['2024-01-01', '2024-12-31'],
        startOn: '2025-01-23',
        endOn: '2025-02-01',
        totalFen: 10_000_001,
        total: '100000.01',
      });
      expect(content.lines[0]).toMatchObject({ no: 1, type: 'HOUSEHOLD_DIVIDEND', typeName: '分红', amountFen: 3_000_000, amount: '30000.00' });
      const person = content.lines[0].recipients[0];
      const household = await env.db('households').where({ id: gidNum(hs[0]) }).first();
      expect(person).toMatchObject({ name: household.head_name, status: 'FORMERLY_POOR' });
      expect(person.idMasked).toBe(`${household.id_number.slice(0, 6)}********${household.id_number.slice(14)}`);
      expect(row.content).not.toContain(household.id_number);
      expect(typeof person.amount).toBe('string');
      expect(person.amountFen).toBe(Math.round(Number(person.amount) * 100));
    } finally {
      await env.close();
    }
  });
});


