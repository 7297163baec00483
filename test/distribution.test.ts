import request from 'supertest';
import { setup, TestEnv, snapshot, count, gidNum } from './helpers';
import {
  APPROVE, CANCEL, CREATE, EXECUTE, MEETING, MEETINGS, NOTICE, OBJECTION, PAY, PREVIEW, RESOLVE, RESULTS, REJECT, REVERSE,
  fundVillage, households, ok, planAt, planInput,
} from './distribution.helpers';
import { HOUSEHOLD_REGISTER, householdInput } from './fixtures';
import { V } from '../seeds/demo-data';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { claimFunding, fundingFor } from '../src/modules/distribution/distribution.receipts';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const PLAN_TABLES = ['distribution_plans', 'distribution_lines', 'distribution_recipients', 'distribution_events'];
const ALL_TABLES = [...PLAN_TABLES, 'distribution_meetings', 'distribution_notices', 'distribution_objections', 'distribution_payments', 'journal_entries', 'journal_postings'];
describe('drafting a plan', () => {
  let hs: string[];
  beforeAll(async () => {
    await fundVillage(env, V.chaping, 10_000_001); // 100 000.01 yuan: the odd fen must land somewhere exact
    hs = await households(env, 4);
    await households(env, 1, { status: 'MONITORED', memberCount: 2, statusEffectiveOn: '2023-06-30' });
  });

  it('previews exact amounts: lines sum to the total, recipients to their line, monitored weighted higher, nothing written', async () => {
    const monitored = (await env.gql('clerk', `{ households(filter: { status: MONITORED }) { nodes { id memberCount } } }`)).data.households.nodes[0];
    const before = await snapshot(env.db, ALL_TABLES);
    const body = await env.gql('clerk', PREVIEW, { input: planInput([...hs, monitored.id]) });
    const p = body.data.distributionPlanPreview.preview;
    expect(body.data.distributionPlanPreview.errors).toEqual([]);
    expect(p.total).toBe('100000.01');
    expect(p.available).toBe('100000.01');
    const fen = (s: string) => Math.round(Number(s) * 100);
    expect(p.lines.map((l: any) => fen(l.amount)).reduce((a: number, b: number) => a + b, 0)).toBe(10_000_001);
    expect(p.lines.map((l: any) => l.amount)).toEqual(['30000.00', '10000.00', '20000.00', '40000.01']);
    const div = p.lines[0];
    expect(div.recipients.map((r: any) => fen(r.amount)).reduce((a: number, b: number) => a + b, 0)).toBe(3_000_000);
    const m = div.recipients.find((r: any) => r.household.id === monitored.id);
    expect(m.weight).toBe(2 * 15000); // 2 members × 1.5
    expect(await snapshot(env.db, ALL_TABLES)).toEqual(before);
  });

  it('creates a plan with lines, recipients with their status on the plan date, and a CREATE event', async () => {
    const body = await env.gql('clerk', CREATE, { input: planInput(hs) });
    const { plan, errors } = body.data.distributionPlanCreate;
    expect(errors).toEqual([]);
    expect(plan.status).toBe('DRAFT');
    expect(plan.lines[0].recipients.every((r: any) => r.householdStatus === 'FORMERLY_POOR')).toBe(true);
    expect(plan.events).toEqual([{ action: 'CREATE', fromStatus: null, toStatus: 'DRAFT', effectiveOn: '2025-01-15' }]);
    const id = gidNum(plan.id);
    expect(await count(env.db, 'distribution_lines', { plan_id: id })).toBe(4);
    expect(await count(env.db, 'distribution_recipients', { plan_id: id })).toBe(4);
    expect((await env.db('distribution_plans').where({ id }).first()).total_fen).toBe(10_000_001);
    // Free the receipt again for the rejections below.
    await ok(env, 'clerk', CANCEL, { planId: plan.id, reason: '测试后撤销' });
  });

  it.each([
    ['a total above the income available', { total: '100000.02' }, 'PLAN_EXCEEDS_AVAILABLE'],
    ['lines that leave money unassigned', { lines: [{ type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: 5000, description: 'x' }] }, 'PLAN_NOT_BALANCED'],
    ['lines that exceed the total', { lines: [{ type: 'PUBLIC_WORKS', basis: 'FIXED', amount: '100000.02', description: 'x' }] }, 'PLAN_NOT_BALANCED'],
    ['two remainder lines', { lines: [{ type: 'PUBLIC_WORKS', basis: 'REMAINDER', description: 'x' }, { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: 'y' }] }, 'PLAN_NOT_BALANCED'],
    ['a dividend without recipients', { lines: [{ type: 'HOUSEHOLD_DIVIDEND', basis: 'REMAINDER', description: 'x', recipients: [] }] }, 'LINE_RECIPIENTS_INVALID'],
    ['retention paid to households', { lines: [{ type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: 'x', recipients: [{ householdId: 'Household:1' }] }] }, 'LINE_RECIPIENTS_INVALID'],
    ['a percentage over 100%', { lines: [{ type: 'PUBLIC_WORKS', basis: 'PERCENT', percentBp: 10001, description: 'x' }] }, 'OUT_OF_RANGE'],
    ['a plan date before the period ends', { planOn: '2024-12-30' }, 'DATE_ORDER'],
    ['a plan date in the future', { planOn: '2026-12-01' }, 'DATE_IN_FUTURE'],
    ['a township instead of a village', { villageCode: '511922105000' }, 'INVALID_REGION'],
    ['an oversized title', { title: '方'.repeat(201) }, 'TOO_LONG'],
  ] as [string, Record<string, unknown>, string][])('rejects %s and writes nothing', async (_l, overrides, code) => {
    const before = await snapshot(env.db, ALL_TABLES);
    const body = await env.gql('admin', CREATE, { input: planInput(hs, overrides) });
    expect(body.data.distributionPlanCreate.plan).toBeNull();
    expect(body.data.distributionPlanCreate.errors.map((e: any) => e.code)).toContain(code);
    expect(await snapshot(env.db, ALL_TABLES)).toEqual(before);
  });

  it('rejects ineligible, foreign, duplicate and work-less recipients with the recipient path', async () => {
    const [ordinary] = await households(env, 1, { status: 'ORDINARY' });
    const [jintai] = await households(env, 1, { villageCode: V.jintai }, 'otherClerk');
    const cases: [object, string, string[]][] = [
      [planInput([...hs, ordinary]), 'INELIGIBLE_BENEFICIARY', ['input', 'lines', '0', 'recipients', '4', 'householdId']],
      [planInput([jintai]), 'NOT_FOUND', ['input', 'lines', '0', 'recipients', '0', 'householdId']],
      [planInput([hs[0], hs[0]]), 'DUPLICATE', ['input', 'lines', '0', 'recipients', '1', 'householdId']],
      [
        planInput(hs, { lines: [{ type: 'PUBLIC_WELFARE_JOB', basis: 'REMAINDER', description: '保洁员', recipients: [{ householdId: hs[0], workDays: 0 }] }] }),
        'WORK_NOT_RECORDED',
        ['input', 'lines', '0', 'recipients', '0', 'attendance'],
      ],
    ];
    for (const [input, code, field] of cases) {
      const before = await snapshot(env.db, PLAN_TABLES);
      const body = await env.gql('clerk', CREATE, { input });
      expect(body.data.distributionPlanCreate.errors[0]).toMatchObject({ code, field });
      expect(await snapshot(env.db, PLAN_TABLES)).toEqual(before);
    }
  });

  it('judges eligibility on the plan date, from the status history', async () => {
    // Became monitored only in 2025-03: not eligible for a plan dated 2025-01-15, eligible for one dated later.
    const body = await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(950, { status: 'MONITORED', statusEffectiveOn: '2025-03-01' }) });
    const late = body.data.householdRegister.household.id;
    const early = await env.gql('clerk', PREVIEW, { input: planInput([late]) });
    expect(early.data.distributionPlanPreview.errors[0].code).toBe('INELIGIBLE_BENEFICIARY');
    const later = await env.gql('clerk', PREVIEW, { input: planInput([late], { planOn: '2025-03-02' }) });
    expect(later.data.distributionPlanPreview.errors).toEqual([]);
  });

  it('lets only the village clerk draft, and only for its own village', async () => {
    for (const user of ['reviewer', 'finance', 'planner', 'otherClerk'] as const) {
      const before = await snapshot(env.db, PLAN_TABLES);
      const body = await env.gql(user, CREATE, { input: planInput(hs) });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await snapshot(env.db, PLAN_TABLES)).toEqual(before);
    }
  });
});

describe('the procedure: 四议两公开, review, execution, payment, results', () => {
  let local: TestEnv;
  let hs: string[];
  beforeAll(async () => {
    local = await setup();
    await fundVillage(local, V.chaping, 20_000_000);
    hs = await households(local, 3);
  });
  afterAll(() => local.close());

  it('walks a plan from draft to closed, moving the money through the journal exactly once', async () => {
    const planId = await planAt(local, 'DRAFT', hs);
    const id = gidNum(planId);
    // Meetings out of order are refused.
    const wrong = await local.gql('clerk', MEETING, { input: { planId, ...MEETINGS[2] } });
    expect(wrong.data.distributionMeetingRecord.errors[0].code).toBe('ILLEGAL_TRANSITION');
    for (const [i, m] of MEETINGS.entries()) {
      const r = await ok(local, 'clerk', MEETING, { planId, ...m });
      expect(r.plan.status).toBe(i === 3 ? 'RESOLVED' : 'DRAFT');
    }
    expect(await count(local.db, 'distribution_meetings', { plan_id: id })).toBe(4);

    const short = await local.gql('clerk', NOTICE, { input: { planId, startOn: '2025-01-23', endOn: '2025-01-31' } });
    expect(short.data.distributionNoticePublish.errors[0].code).toBe('NOTICE_TOO_SHORT');
    const early = await local.gql('clerk', NOTICE, { input: { planId, startOn: '2025-01-21' } });
    expect(early.data.distributionNoticePublish.errors[0].code).toBe('DATE_ORDER');
    const notice = await ok(local, 'clerk', NOTICE, { planId, startOn: '2025-01-23' });
    expect(notice.plan).toEqual({ status: 'IN_NOTICE', noticeStartOn: '2025-01-23', noticeEndOn: '2025-02-01' });
    await expect(local.db('distribution_notices').where({ plan_id: id }).update({ end_on: '2025-01-24' })).rejects.toMatchObject({ message: expect.stringMatching(/APPEND_ONLY/) });

    const objection = await ok(local, 'clerk', OBJECTION, { planId, raisedOn: '2025-01-25', raisedBy: '村民张某', content: '分红名单有误' });
    const objectionId = objection.plan.objections[0].id;

    // The clerk cannot approve; a reviewer of another township does not see the plan.
    expect((await local.gql('clerk', APPROVE, { input: { planId, reviewedOn: '2025-01-28' } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await local.gql('otherReviewer', APPROVE, { input: { planId, reviewedOn: '2025-01-28' } })).data.distributionPlanApprove.errors[0].code).toBe('NOT_FOUND');
    // Not while the objection is open (issue 15): the village answers it first.
    const beforeApproval = await snapshot(local.db, ALL_TABLES);
    const unanswered = await local.gql('reviewer', APPROVE, { input: { planId, reviewedOn: '2025-01-26', opinion: '同意' } });
    expect(unanswered.data.distributionPlanApprove.errors[0]).toMatchObject({ code: 'OPEN_OBJECTIONS', field: ['input', 'planId'] });
    expect(await snapshot(local.db, ALL_TABLES)).toEqual(beforeApproval);
    await ok(local, 'clerk', RESOLVE, { objectionId, resolvedOn: '2025-01-27', resolution: '经核实名单无误，已答复' });
    expect((await ok(local, 'reviewer', APPROVE, { planId, reviewedOn: '2025-01-28', opinion: '同意' })).plan.status).toBe('APPROVED');
    // An objection raised after approval, still within the notice, holds the money back too.
    const late = await ok(local, 'clerk', OBJECTION, { planId, raisedOn: '2025-01-30', raisedBy: '村民李某', content: '询问管护资金用途' });
    const lateId = late.plan.objections[1].id;

    const before = await snapshot(local.db, ALL_TABLES);
    const inNotice = await local.gql('clerk', EXECUTE, { input: { planId, executedOn: '2025-02-01', idempotencyKey: 'e1' } });
    expect(inNotice.data.distributionPlanExecute.errors[0].code).toBe('NOTICE_NOT_ENDED');
    const objected = await local.gql('clerk', EXECUTE, { input: { planId, executedOn: '2025-02-02', idempotencyKey: 'e2' } });
    expect(objected.data.distributionPlanExecute.errors[0].code).toBe('OPEN_OBJECTIONS');
    expect(await snapshot(local.db, ALL_TABLES)).toEqual(before);

    await ok(local, 'clerk', RESOLVE, { objectionId: lateId, resolvedOn: '2025-01-31', resolution: '已说明用途' });
    const balanceBefore = await pendingOf(local);
    const executed = await ok(local, 'clerk', EXECUTE, { planId, executedOn: '2025-02-03', idempotencyKey: 'exec-main' });
    expect(executed.plan.status).toBe('EXECUTED');
    expect(await pendingOf(local)).toBe(balanceBefore - 20_000_000);
    const entry = await local.db('journal_entries').where({ id: (await local.db('distribution_plans').where({ id }).first()).execution_entry_id }).first();
    expect(entry.kind).toBe('DISTRIBUTION');
    const postings = await local.db('journal_postings').where({ entry_id: entry.id });
    expect(postings.reduce((s: number, p: any) => s + Number(p.amount_fen), 0)).toBe(0);
    expect(postings.length).toBe(1 + 3 + 3); // pending out; upkeep, public works, retention; three households

    // A retry with the same key returns the result and posts nothing new.
    const entries = await count(local.db, 'journal_entries');
    const retry = await local.gql('clerk', EXECUTE, { input: { planId, executedOn: '2025-02-03', idempotencyKey: 'exec-main' } });
    expect(retry.data.distributionPlanExecute.plan.status).toBe('EXECUTED');
    expect(await count(local.db, 'journal_entries')).toBe(entries);

    const unpaid = await local.gql('clerk', RESULTS, { input: { planId, startOn: '2025-02-10' } });
    expect(unpaid.data.distributionResultsPublish.errors[0].code).toBe('UNPAID_RECIPIENTS');
    for (const [i, h] of hs.entries()) {
      await ok(local, 'clerk', PAY, { planId, householdId: h, paidOn: '2025-02-05', bankReference: `NXS2025020500${i}`, idempotencyKey: `pay-${i}` });
    }
    const twice = await local.gql('clerk', PAY, { input: { planId, householdId: hs[0], paidOn: '2025-02-06', bankReference: 'x', idempotencyKey: 'pay-again' } });
    expect(twice.data.distributionPaymentRecord.errors[0].code).toBe('ALREADY_PAID');

    const closed = await ok(local, 'clerk', RESULTS, { planId, startOn: '2025-02-10' });
    expect(closed.plan.status).toBe('CLOSED');
    expect(closed.plan.notices.map((n: any) => [n.kind, n.startOn, n.endOn])).toEqual([
      ['PLAN', '2025-01-23', '2025-02-01'],
      ['RESULTS', '2025-02-10', '2025-02-19'],
    ]);
    expect((await verifyChain(local.db)).intact).toBe(true);

    const events = (await local.db('distribution_events').where({ plan_id: id }).orderBy('id')).map((e: any) => e.action);
    expect(events).toEqual([
      'CREATE', 'MEETING_PARTY_BRANCH_PROPOSAL', 'MEETING_TWO_COMMITTEES', 'MEETING_PARTY_MEMBERS', 'RESOLVE',
      'PUBLISH_NOTICE', 'OBJECTION_RECORDED', 'OBJECTION_RESOLVED', 'APPROVE', 'OBJECTION_RECORDED', 'OBJECTION_RESOLVED', 'EXECUTE',
      'PAYMENT_RECORDED', 'PAYMENT_RECORDED', 'PAYMENT_RECORDED', 'PUBLISH_RESULTS',
    ]);

    // The audit report reconciles every fen.
    const report = await local.gql('finance', `query($id: ID!) { distributionAuditReport(planId: $id) {
      incomeInPeriod incomeSources { sequence amount }
      lines { type amount recipientsTotal recipients { amount paidOn bankReference } }
      totals { planTotal linesTotal toRecipients toFunds paid unpaid executedInJournal reconciles }
      procedure { step on } datesInOrder flags { code } } }`, { id: planId });
    const r = report.data.distributionAuditReport;
    expect(r.totals).toEqual({
      planTotal: '200000.00', linesTotal: '200000.00', toRecipients: '60000.00', toFunds: '140000.00',
      paid: '60000.00', unpaid: '0.00', executedInJournal: '200000.00', reconciles: true,
    });
    expect(r.incomeInPeriod).toBe('200000.00');
    expect(r.datesInOrder).toBe(true);
    expect(r.procedure.map((s: any) => s.step)).toEqual([
      'PARTY_BRANCH_PROPOSAL', 'TWO_COMMITTEES', 'PARTY_MEMBERS', 'REPRESENTATIVES', 'PLAN_NOTICE', 'TOWNSHIP_APPROVAL', 'EXECUTION', 'PAYMENT', 'PAYMENT', 'PAYMENT', 'RESULTS_NOTICE',
    ]);
    expect(r.lines[0].recipients.every((x: any) => x.paidOn === '2025-02-05')).toBe(true);

    // Exports: CSV with Chinese headers, xlsx as a real workbook.
    const csv = await request(local.app).get(`/exports/distribution-plans/${planId}/recipients.csv`).set('authorization', 'Bearer test-county-finance');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('户主姓名');
    expect(csv.text.split('\r\n').filter((l) => l && !l.startsWith('\ufeff')).length).toBe(3);
    const xlsx = await request(local.app)
      .get(`/exports/distribution-plans/${planId}/audit.xlsx`)
      .set('authorization', 'Bearer test-county-finance')
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const hidden = await request(local.app).get(`/exports/distribution-plans/${planId}/audit.csv`).set('authorization', 'Bearer test-finance-jiange');
    expect(hidden.status).toBe(404);
  });

  it('rejects meetings without quorum or majority, and a rejected plan can go no further', async () => {
    await fundVillage(local, V.chaping, 10_000_000);
    const planId = await planAt(local, 'DRAFT', hs, { total: '100000.00' });
    await ok(local, 'clerk', MEETING, { planId, ...MEETINGS[0] });
    await ok(local, 'clerk', MEETING, { planId, ...MEETINGS[1] });
    const quorum = await local.gql('clerk', MEETING, { input: { planId, ...MEETINGS[2], attendance: 23, votesFor: 20 } });
    expect(quorum.data.distributionMeetingRecord.errors[0].code).toBe('QUORUM_NOT_MET');
    const majority = await local.gql('clerk', MEETING, { input: { planId, ...MEETINGS[2], votesFor: 15, votesAgainst: 15, abstentions: 0 } });
    expect(majority.data.distributionMeetingRecord.errors[0].code).toBe('MAJORITY_NOT_REACHED');
    const before = await local.gql('clerk', MEETING, { input: { planId, ...MEETINGS[2], heldOn: '2025-01-17' } });
    expect(before.data.distributionMeetingRecord.errors[0].code).toBe('DATE_ORDER');
    expect(await count(local.db, 'distribution_meetings', { plan_id: gidNum(planId) })).toBe(2);
    await ok(local, 'clerk', MEETING, { planId, ...MEETINGS[2] });
    await ok(local, 'clerk', MEETING, { planId, ...MEETINGS[3] });
    expect((await ok(local, 'reviewer', REJECT, { planId, reviewedOn: '2025-01-24', reason: '分红比例过高' })).plan.status).toBe('REJECTED');
    const dead = await local.gql('clerk', NOTICE, { input: { planId, startOn: '2025-01-25' } });
    expect(dead.data.distributionNoticePublish.errors[0].code).toBe('ILLEGAL_TRANSITION');
  });

  it('never pays before the notice ends: payment needs execution, execution needs the notice over', async () => {
    const receipt = await fundVillage(local, V.chaping, 10_000_000);
    const planId = await planAt(local, 'APPROVED', hs, { receipts: [receipt] });
    const pay = await local.gql('clerk', PAY, { input: { planId, householdId: hs[0], paidOn: '2025-01-30', bankReference: 'x', idempotencyKey: 'early-pay' } });
    expect(pay.data.distributionPaymentRecord.errors[0].code).toBe('ILLEGAL_TRANSITION');
    const exec = await local.gql('clerk', EXECUTE, { input: { planId, executedOn: '2025-01-30', idempotencyKey: 'early-exec' } });
    expect(exec.data.distributionPlanExecute.errors[0].code).toBe('NOTICE_NOT_ENDED');
    await ok(local, 'clerk', EXECUTE, { planId, executedOn: '2025-02-02', idempotencyKey: 'ontime-exec' });
    const before = await local.gql('clerk', PAY, { input: { planId, householdId: hs[0], paidOn: '2025-02-01', bankReference: 'x', idempotencyKey: 'p-before' } });
    expect(before.data.distributionPaymentRecord.errors[0].code).toBe('DATE_ORDER');
  });

  it('reverses an executed plan before payment, returning the money; refuses after a payment', async () => {
    const receipt = await fundVillage(local, V.chaping, 10_000_000);
    const planId = await planAt(local, 'EXECUTED', hs, { receipts: [receipt] });
    const before = await pendingOf(local);
    expect((await ok(local, 'clerk', REVERSE, { planId, reason: '名单录入错误', idempotencyKey: 'rev-1' })).plan.status).toBe('REVERSED');
    expect(await pendingOf(local)).toBe(before + 10_000_000);
    const again = await local.gql('clerk', REVERSE, { input: { planId, reason: 'again', idempotencyKey: 'rev-2' } });
    expect(again.data.distributionPlanReverse.errors[0].code).toBe('ILLEGAL_TRANSITION');

    const second = await fundVillage(local, V.chaping, 10_000_000);
    const paid = await planAt(local, 'EXECUTED', hs, { receipts: [second] });
    await ok(local, 'clerk', PAY, { planId: paid, householdId: hs[0], paidOn: '2025-02-05', bankReference: 'b', idempotencyKey: 'rev-pay' });
    const refused = await local.gql('clerk', REVERSE, { input: { planId: paid, reason: 'late', idempotencyKey: 'rev-3' } });
    expect(refused.data.distributionPlanReverse.errors[0].code).toBe('ILLEGAL_TRANSITION');
  });
});

async function pendingOf(e: TestEnv): Promise<number> {
  const r = await e.db('journal_postings')
    .join('journal_accounts', 'journal_accounts.id', 'journal_postings.account_id')
    .join('parties', 'parties.id', 'journal_accounts.holder_party_id')
    .where({ 'parties.region_code': V.chaping, 'parties.kind': 'VILLAGE_COLLECTIVE', 'journal_accounts.kind': 'INCOME_PENDING_DISTRIBUTION' })
    .sum({ s: 'journal_postings.amount_fen' })
    .first();
  return Number(r?.s ?? 0);
}

describe('journal reversal cannot bypass a plan', () => {
  it('refuses journalEntryReverse on a plan\'s execution or payment entries (USE_DOMAIN_REVERSAL), writing nothing', async () => {
    const local = await setup();
    try {
      await fundVillage(local, V.chaping, 10_000_000);
      const hs = await households(local, 2);
      const planId = await planAt(local, 'EXECUTED', hs, { total: '100000.00' });
      await ok(local, 'clerk', PAY, { planId, householdId: hs[0], paidOn: '2025-02-05', bankReference: 'b0', idempotencyKey: 'jr-pay' });
      const entries = await local.db('journal_entries').whereIn('kind', ['DISTRIBUTION', 'PAYMENT']).orderBy('id');
      expect(entries.map((e: any) => e.kind)).toEqual(['DISTRIBUTION', 'PAYMENT']);
      const REV = `mutation($input: JournalEntryReverseInput!) { journalEntryReverse(input: $input) { errors { code } } }`;
      for (const e of entries) {
        const before = await snapshot(local.db, ['journal_entries', 'journal_postings']);
        const body = await local.gql('finance', REV, { input: { entryId: `JournalEntry:${e.id}`, reason: '试图绕过方案', idempotencyKey: `jr-${e.id}` } });
        expect(body.data.journalEntryReverse.errors[0].code).toBe('USE_DOMAIN_REVERSAL');
        expect(await snapshot(local.db, ['journal_entries', 'journal_postings'])).toEqual(before);
      }
    } finally {
      await local.close();
    }
  });
});

describe('a bounced payment (退票)', () => {
  const UNPAY = `mutation($input: DistributionPaymentReverseInput!) { distributionPaymentReverse(input: $input) {
    plan { payments { household { id } amount paidOn reversedOn reversalReason } } errors { code field } } }`;

  it('is reversed into the household\'s payable, the household paid again, and only then can results close the plan', async () => {
    const local = await setup();
    try {
      await fundVillage(local, V.chaping, 10_000_000);
      const hs = await households(local, 2);
      const planId = await planAt(local, 'EXECUTED', hs, { total: '100000.00' });
      await ok(local, 'clerk', PAY, { planId, householdId: hs[0], paidOn: '2025-02-05', bankReference: 'b0', idempotencyKey: 'bp-0' });
      await ok(local, 'clerk', PAY, { planId, householdId: hs[1], paidOn: '2025-02-05', bankReference: 'b1', idempotencyKey: 'bp-1' });

      // Refusals first, each writing nothing.
      const TABLES = ['distribution_payment_reversals', 'distribution_events', 'journal_entries'];
      for (const [input, code] of [
        [{ householdId: hs[0], reversedOn: '2025-02-04' }, 'DATE_ORDER'],
        [{ householdId: hs[0], reversedOn: '2026-12-01' }, 'DATE_IN_FUTURE'],
        [{ householdId: 'Household:999999', reversedOn: '2025-02-08' }, 'NOT_FOUND'],
      ] as [Record<string, unknown>, string][]) {
        const before = await snapshot(local.db, TABLES);
        const body = await local.gql('clerk', UNPAY, { input: { planId, reason: '账户冻结', idempotencyKey: `bad-${code}`, ...input } });
        expect(body.data.distributionPaymentReverse.errors[0].code).toBe(code);
        expect(await snapshot(local.db, TABLES)).toEqual(before);
      }
      expect((await local.gql('reviewer', UNPAY, { input: { planId, householdId: hs[0], reversedOn: '2025-02-08', reason: 'x', idempotencyKey: 'r-x' } })).errors[0].extensions.code).toBe('FORBIDDEN');

      const r = await ok(local, 'clerk', UNPAY, { planId, householdId: hs[0], reversedOn: '2025-02-08', reason: '账户冻结，银行退票', idempotencyKey: 'bounce-0' });
      const bounced = r.plan.payments.find((p: any) => p.household.id === hs[0]);
      expect(bounced).toMatchObject({ paidOn: '2025-02-05', reversedOn: '2025-02-08', reversalReason: '账户冻结，银行退票' });
      const reversal = await local.db('journal_entries').where({ kind: 'REVERSAL' }).first();
      const payment = await local.db('distribution_payments').where({ household_id: gidNum(hs[0]) }).first();
      expect(reversal.reverses_entry_id).toBe(payment.entry_id);
      const again = await local.gql('clerk', UNPAY, { input: { planId, householdId: hs[0], reversedOn: '2025-02-09', reason: 'again', idempotencyKey: 'bounce-again' } });
      expect(again.data.distributionPaymentReverse.errors[0].code).toBe('NOT_FOUND');

      const early = await local.gql('clerk', RESULTS, { input: { planId, startOn: '2025-02-10' } });
      expect(early.data.distributionResultsPublish.errors[0].code).toBe('UNPAID_RECIPIENTS');
      await ok(local, 'clerk', PAY, { planId, householdId: hs[0], paidOn: '2025-02-12', bankReference: 'b0-2', idempotencyKey: 'bp-0-again' });
      expect((await ok(local, 'clerk', RESULTS, { planId, startOn: '2025-02-13' })).plan.status).toBe('CLOSED');

      const report = (await local.gql('finance', `query($id: ID!) { distributionAuditReport(planId: $id) { totals { paid unpaid reconciles } } }`, { id: planId })).data.distributionAuditReport;
      expect(report.totals.unpaid).toBe('0.00');
      expect(report.totals.reconciles).toBe(true);
      expect((await verifyChain(local.db)).intact).toBe(true);
      const events = (await local.db('distribution_events').where({ plan_id: gidNum(planId) }).orderBy('id')).map((e: any) => e.action);
      expect(events.filter((a: string) => a.startsWith('PAYMENT'))).toEqual(['PAYMENT_RECORDED', 'PAYMENT_RECORDED', 'PAYMENT_REVERSED', 'PAYMENT_RECORDED']);
    } finally {
      await local.close();
    }
  });
});

describe('plans racing for the same receipts', () => {
  it('lets exactly one of several parallel drafts claim a receipt; the others write nothing', async () => {
    const local = await setup();
    try {
      const receipt = await fundVillage(local, V.chaping, 5_000_000);
      const hs = await households(local, 2);
      const bodies = await Promise.all(
        Array.from({ length: 5 }, () => local.gql('clerk', CREATE, { input: planInput(hs, { receipts: [receipt] }) })),
      );
      const results = bodies.map((b) => b.data.distributionPlanCreate);
      expect(results.filter((r) => r.plan?.status === 'DRAFT')).toHaveLength(1);
      expect(results.filter((r) => r.errors[0]?.code === 'RECEIPT_ALREADY_DISTRIBUTED')).toHaveLength(4);
      expect(await count(local.db, 'distribution_plans')).toBe(1);
      expect(await count(local.db, 'distribution_plan_receipts')).toBe(1);
    } finally {
      await local.close();
    }
  });

  it('is guarded by the database too: a claim that passed a stale check is refused, not doubled', async () => {
    const local = await setup();
    try {
      await fundVillage(local, V.chaping, 5_000_000);
      const hs = await households(local, 2);
      const first = gidNum((await ok(local, 'clerk', CREATE, planInput(hs))).plan.id);
      // A second draft whose funding was read before the first committed: only the unique index stops it.
      const stale = await local.db
        .transaction(async (trx) => {
          const svc = local.svc('clerk', trx as any);
          const plan = await trx('distribution_plans').where({ id: first }).first();
          const funding = await fundingFor(svc, plan.owner_party_id, { from: '2024-01-01', to: '2024-12-31' }, null);
          expect(funding.receipts).toHaveLength(0); // the service's own check already sees the claim…
          const claimed = await trx('distribution_plan_receipts').where({ plan_id: first });
          const raced = { ...funding, receipts: claimed.map((c: any) => ({ entryId: c.entry_id, role: 'RECEIPT', kind: c.kind, effectiveOn: c.effective_on, amountFen: Number(c.amount_fen), paidFrom: null })) };
          await claimFunding(svc, first, plan.owner_party_id, raced as any);
          return 'claimed';
        })
        .catch((e) => e.code);
      expect(stale).toBe('RECEIPT_ALREADY_DISTRIBUTED'); // …and the index refuses what a racing check missed
      expect(await count(local.db, 'distribution_plan_receipts')).toBe(1);
    } finally {
      await local.close();
    }
  });
});
