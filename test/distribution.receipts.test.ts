/**
 * Issue 15, items 1 and 2: a plan distributes the receipts it names (default: its period's undistributed
 * ones), each receipt at most once; upkeep costs are posted to the journal and netted before profit.
 */
import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { CANCEL, CREATE, EXECUTE, PREVIEW, fundVillage, households, ok, planAt, planInput } from './distribution.helpers';
import { createProject, registerAsset, step } from './fixtures';
import { V } from '../seeds/demo-data';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { incomeInput, lease, ownedAsset, recorded } from './income.helpers';
import { company } from './journal.fixtures';

const TABLES = ['distribution_plans', 'distribution_lines', 'distribution_recipients', 'distribution_plan_receipts', 'distribution_events', 'journal_entries', 'journal_postings'];
const RETAIN_ALL = [{ type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' }];
const RECEIPTS = `mutation($input: DistributionPlanInput!) { distributionPlanCreate(input: $input) {
  plan { id total receipts { entry { id } kind effectiveOn amount releasedOn } costs { entry { id } kind amount paidFrom } } errors { code field message } } }`;
const REPORT = `query($id: ID!) { distributionAuditReport(planId: $id) {
  incomeSources { sequence kind effectiveOn amount } incomeInPeriod costs { kind amount paidFrom } costsTotal
  totals { planTotal linesTotal executedInJournal costsRepaid reconciles } } }`;
const UPKEEP = `mutation($input: UpkeepRecordInput!) { upkeepRecord(input: $input) {
  upkeepRecord { id cost paidFrom entry { id kind } } replayed errors { code field message } } }`;

/** Balance of one of 茶坪村 collective's accounts, in fen. */
async function balanceOf(env: TestEnv, kind: string, villageCode = V.chaping): Promise<number> {
  const r = await env
    .db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .join('parties as h', 'h.id', 'a.holder_party_id')
    .where({ 'h.region_code': villageCode, 'h.kind': 'VILLAGE_COLLECTIVE', 'a.kind': kind })
    .sum({ s: 'p.amount_fen' })
    .first();
  return Number(r?.s ?? 0);
}

/** A public-welfare asset of 茶坪村 in use since 2021, so that upkeep can be recorded on it. */
async function roadInUse(env: TestEnv): Promise<string> {
  const projectId = (await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '900000.00' }] })).id;
  const asset = await registerAsset(env, projectId, {
    name: '茶坪村产业路',
    class: 'PUBLIC_WELFARE',
    subType: 'ROAD',
    originalValue: '1000.00',
    fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }],
  });
  await step(env, 'rightsConfirm', asset.id, '2021-11-10');
  await step(env, 'assetHandOver', asset.id, '2021-11-20');
  await step(env, 'assetPutInUse', asset.id, '2021-12-01');
  return asset.id;
}

let keys = 0;
const upkeepInput = (assetId: string, cost: string, paidFrom: string | null, doneOn = '2024-06-15', extra: Record<string, unknown> = {}) => ({
  assetId,
  kind: 'REPAIR',
  doneOn,
  cost,
  note: '路面修补',
  ...(paidFrom ? { paidFrom, idempotencyKey: `upkeep-${++keys}` } : {}),
  ...extra,
});

describe('which receipts a plan distributes', () => {
  let env: TestEnv;
  let hs: string[];
  const poorOf = () => hs;
  beforeAll(async () => {
    env = await setup();
    hs = await households(env, 3);
  });
  afterAll(() => env.close());

  it("takes by default its period's undistributed receipts only — never income of another year — and claims them", async () => {
    const old = await fundVillage(env, V.chaping, 7_000_000, '2019-12-20');
    const a = await fundVillage(env, V.chaping, 3_000_000, '2024-03-01');
    const b = await fundVillage(env, V.chaping, 2_000_001, '2024-11-30');
    const body = await env.gql('clerk', RECEIPTS, { input: planInput(hs, { lines: RETAIN_ALL }) });
    const { plan, errors } = body.data.distributionPlanCreate;
    expect(errors).toEqual([]);
    expect(plan.total).toBe('50000.01');
    expect(plan.receipts).toEqual([
      { entry: { id: a }, kind: 'ASSET_INCOME', effectiveOn: '2024-03-01', amount: '30000.00', releasedOn: null },
      { entry: { id: b }, kind: 'ASSET_INCOME', effectiveOn: '2024-11-30', amount: '20000.01', releasedOn: null },
    ]);
    const rows = await env.db('distribution_plan_receipts').where({ plan_id: gidNum(plan.id) }).orderBy('id');
    expect(rows.map((r: any) => [r.entry_id, r.role, Number(r.amount_fen)])).toEqual([
      [gidNum(a), 'RECEIPT', 3_000_000],
      [gidNum(b), 'RECEIPT', 2_000_001],
    ]);
    const created = await env.db('distribution_events').where({ plan_id: gidNum(plan.id), action: 'CREATE' }).first();
    expect(JSON.parse(created.payload)).toMatchObject({ receiptsFen: 5_000_001, costsFen: 0, receipts: [gidNum(a), gidNum(b)] });

    // The audit report traces this plan's receipts — not every credit of the period, not the 2019 money.
    const report = (await env.gql('finance', REPORT, { id: plan.id })).data.distributionAuditReport;
    expect(report.incomeSources.map((s: any) => [s.effectiveOn, s.amount])).toEqual([
      ['2024-03-01', '30000.00'],
      ['2024-11-30', '20000.01'],
    ]);
    expect(report.incomeInPeriod).toBe('50000.01');
    expect(report.totals.reconciles).toBe(true);

    // A second plan of 2024 finds nothing left: the receipts are distributed once.
    const before = await snapshot(env.db, TABLES);
    const again = await env.gql('clerk', CREATE, { input: planInput(hs, { lines: RETAIN_ALL }) });
    expect(again.data.distributionPlanCreate.errors[0]).toMatchObject({ code: 'NO_INCOME_AVAILABLE', field: ['input', 'receipts'] });
    expect(await snapshot(env.db, TABLES)).toEqual(before);

    // Naming them is refused too, and naming the 2019 receipt for a 2024 plan as well.
    for (const [receipt, code] of [
      [a, 'RECEIPT_ALREADY_DISTRIBUTED'],
      [old, 'RECEIPT_OUTSIDE_PERIOD'],
    ]) {
      const named = await env.gql('clerk', CREATE, { input: planInput(hs, { lines: RETAIN_ALL, receipts: [receipt] }) });
      expect(named.data.distributionPlanCreate.errors[0]).toMatchObject({ code, field: ['input', 'receipts', '0'] });
      expect(await snapshot(env.db, TABLES)).toEqual(before);
    }

    // Cancelling the plan releases its receipts for a corrected plan.
    await ok(env, 'clerk', CANCEL, { planId: plan.id, reason: '重新编制' });
    expect((await env.db('distribution_plan_receipts').where({ plan_id: gidNum(plan.id) })).every((r: any) => r.released_on === '2026-11-22')).toBe(true);
    const redo = await ok(env, 'clerk', RECEIPTS, planInput(hs, { lines: RETAIN_ALL, receipts: [b] }));
    expect(redo.plan.total).toBe('20000.01');
    await ok(env, 'clerk', CANCEL, { planId: redo.plan.id, reason: '测试' });
  });

  it("names a receipt by its income record too: a joint asset's income counts at the village's own share", async () => {
    const payer = await company(env, '南江县云顶农业发展有限公司');
    const joint = await ownedAsset(env, [
      { villageCode: V.chaping, shareBp: 6000 },
      { villageCode: V.jintai, shareBp: 4000 },
    ]);
    await lease(env, joint.id, payer);
    const income = await recorded(env, incomeInput(joint.id, payer, { receivedOn: '2024-10-10', amount: '10000.01', memo: '2024年租金' }));
    const plan = await ok(env, 'clerk', RECEIPTS, planInput(poorOf(), { lines: RETAIN_ALL, receipts: [income.income.id] }));
    expect(plan.plan.receipts).toEqual([{ entry: { id: income.entry.id }, kind: 'ASSET_INCOME', effectiveOn: '2024-10-10', amount: '6000.01', releasedOn: null }]);
    const unknown = await env.gql('clerk', CREATE, { input: planInput(poorOf(), { lines: RETAIN_ALL, receipts: ['IncomeRecord:9999'] }) });
    expect(unknown.data.distributionPlanCreate.errors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'receipts', '0'] });
    await ok(env, 'clerk', CANCEL, { planId: plan.plan.id, reason: '测试' });
  });

  it('refuses a total that is not what the receipts leave (retained money is a line), and a receipt of another village', async () => {
    const receipt = await fundVillage(env, V.chaping, 1_000_000, '2024-05-05');
    const foreign = await fundVillage(env, V.jintai, 1_000_000, '2024-05-05');
    const before = await snapshot(env.db, TABLES);
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ receipts: [receipt], total: '9999.99' }, 'TOTAL_NOT_DISTRIBUTABLE', ['input', 'total']],
      [{ receipts: [receipt], total: '10000.01' }, 'PLAN_EXCEEDS_AVAILABLE', ['input', 'total']],
      [{ receipts: [foreign] }, 'NOT_FOUND', ['input', 'receipts', '0']],
      [{ receipts: [receipt, receipt] }, 'DUPLICATE', ['input', 'receipts', '1']],
    ];
    for (const [overrides, code, field] of cases) {
      const body = await env.gql('clerk', CREATE, { input: planInput(hs, { lines: RETAIN_ALL, ...overrides }) });
      expect(body.data.distributionPlanCreate.errors[0]).toMatchObject({ code, field });
    }
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    expect((await ok(env, 'clerk', CREATE, planInput(hs, { lines: RETAIN_ALL, receipts: [receipt], total: '10000.00' }))).plan.total).toBe('10000.00');
  });

  it('frees the receipts of a rejected or reversed plan, never those of a live one', async () => {
    const local = await setup();
    try {
      const hh = await households(local, 2);
      const receipt = await fundVillage(local, V.chaping, 10_000_000);
      const planId = await planAt(local, 'EXECUTED', hh, { receipts: [receipt] });
      const again = await local.gql('clerk', CREATE, { input: planInput(hh, { receipts: [receipt] }) });
      expect(again.data.distributionPlanCreate.errors[0].code).toBe('RECEIPT_ALREADY_DISTRIBUTED');
      await ok(local, 'clerk', `mutation($input: DistributionReverseInput!) { distributionPlanReverse(input: $input) { plan { status } errors { code } } }`, {
        planId,
        reason: '名单有误',
        idempotencyKey: 'rev',
      });
      expect((await ok(local, 'clerk', CREATE, planInput(hh, { receipts: [receipt] }))).plan.total).toBe('100000.00');
    } finally {
      await local.close();
    }
  });
});

describe('upkeep costs: posted to the journal, netted before profit (rule 11)', () => {
  let env: TestEnv;
  let repaidPlanId: string;
  let road: string;
  let hs: string[];
  beforeAll(async () => {
    env = await setup();
    road = await roadInUse(env);
    hs = await households(env, 3);
  });
  afterAll(() => env.close());

  it('posts a cost as an UPKEEP_EXPENSE entry from the named pot, once per idempotency key', async () => {
    await fundVillage(env, V.chaping, 1_000_000, '2023-12-31');
    const input = upkeepInput(road, '350.50', 'INCOME_PENDING_DISTRIBUTION', '2023-06-15');
    const first = (await env.gql('clerk', UPKEEP, { input })).data.upkeepRecord;
    expect(first.errors).toEqual([]);
    expect(first.replayed).toBe(false);
    expect(first.upkeepRecord).toMatchObject({ cost: '350.50', paidFrom: 'INCOME_PENDING_DISTRIBUTION', entry: { kind: 'UPKEEP_EXPENSE' } });
    const entryId = gidNum(first.upkeepRecord.entry.id);
    const postings = await env.db('journal_postings as p').join('journal_accounts as a', 'a.id', 'p.account_id').where({ 'p.entry_id': entryId }).orderBy('p.id');
    expect(postings.map((p: any) => [p.kind, Number(p.amount_fen)])).toEqual([
      ['INCOME_PENDING_DISTRIBUTION', -35_050],
      ['EXPENSES', 35_050],
    ]);
    expect((await env.db('upkeep_records').where({ id: gidNum(first.upkeepRecord.id) }).first()).entry_id).toBe(entryId);

    const before = await snapshot(env.db, ['upkeep_records', 'asset_events', 'journal_entries']);
    const retry = (await env.gql('clerk', UPKEEP, { input })).data.upkeepRecord;
    expect(retry).toMatchObject({ replayed: true, errors: [], upkeepRecord: { id: first.upkeepRecord.id } });
    expect(await snapshot(env.db, ['upkeep_records', 'asset_events', 'journal_entries'])).toEqual(before);
    expect((await verifyChain(env.db)).intact).toBe(true);
  });

  it('refuses a cost without a pot or key, or one the pot cannot pay (never negative), writing nothing', async () => {
    const before = await snapshot(env.db, ['upkeep_records', 'asset_events', 'journal_entries', 'journal_postings']);
    const cases: [Record<string, unknown>, string, string[]][] = [
      [upkeepInput(road, '100.00', null), 'REQUIRED', ['input', 'paidFrom']],
      [{ ...upkeepInput(road, '100.00', 'CASH'), idempotencyKey: undefined }, 'REQUIRED', ['input', 'idempotencyKey']],
      [upkeepInput(road, '100.00', 'CASH'), 'INSUFFICIENT_BALANCE', ['input', 'paidFrom']],
      [upkeepInput(road, '100.00', 'UPKEEP_RESERVE'), 'INSUFFICIENT_BALANCE', ['input', 'paidFrom']],
      [upkeepInput(road, '1000000.00', 'INCOME_PENDING_DISTRIBUTION'), 'INSUFFICIENT_BALANCE', ['input', 'paidFrom']],
    ];
    for (const [input, code, field] of cases) {
      const body = await env.gql('clerk', UPKEEP, { input });
      expect(body.data.upkeepRecord.errors[0]).toMatchObject({ code, field });
    }
    expect(await snapshot(env.db, ['upkeep_records', 'asset_events', 'journal_entries', 'journal_postings'])).toEqual(before);
    expect(await balanceOf(env, 'CASH')).toBe(0);
  });

  it("nets the period's costs from its receipts, and repays at execution a cost the upkeep reserve fronted", async () => {
    // 2023's plan (receipts 10 000.00 less the 350.50 paid above) sets 10% aside as the upkeep reserve.
    const y2023 = { periodFrom: '2023-01-01', periodTo: '2023-12-31', planOn: '2024-01-15' };
    const p2023 = await ok(env, 'clerk', RECEIPTS, planInput(hs, { ...y2023, lines: [{ type: 'UPKEEP_RESERVE', basis: 'PERCENT', percentBp: 1000, description: '管护' }, ...RETAIN_ALL] }));
    expect(p2023.plan.total).toBe('9649.50');
    expect(p2023.plan.costs).toEqual([{ entry: { id: expect.any(String) }, kind: 'UPKEEP_EXPENSE', amount: '350.50', paidFrom: 'INCOME_PENDING_DISTRIBUTION' }]);
    await executeWalked(env, p2023.plan.id, '2024-01');
    const reserve = await balanceOf(env, 'UPKEEP_RESERVE');
    expect(reserve).toBe(96_495);

    // 2024: income arrives, and a repair is paid out of the reserve before any plan.
    await fundVillage(env, V.chaping, 5_000_000, '2024-12-31');
    const repair = (await env.gql('clerk', UPKEEP, { input: upkeepInput(road, '400.00', 'UPKEEP_RESERVE', '2024-08-01') })).data.upkeepRecord;
    expect(repair.errors).toEqual([]);
    expect(await balanceOf(env, 'UPKEEP_RESERVE')).toBe(reserve - 40_000);

    const preview = (await env.gql('clerk', PREVIEW, { input: planInput(hs, { lines: RETAIN_ALL }) })).data.distributionPlanPreview.preview;
    expect(preview).toMatchObject({ total: '49600.00', available: '49600.00' });
    const p2024 = await ok(env, 'clerk', RECEIPTS, planInput(hs, { lines: RETAIN_ALL }));
    expect(p2024.plan.costs.map((c: any) => [c.amount, c.paidFrom])).toEqual([['400.00', 'UPKEEP_RESERVE']]);
    const pendingBefore = await balanceOf(env, 'INCOME_PENDING_DISTRIBUTION');
    await executeWalked(env, p2024.plan.id, '2025-01');
    // The receipts bore the cost: the reserve is whole again, and all 50 000 left income awaiting distribution.
    expect(await balanceOf(env, 'UPKEEP_RESERVE')).toBe(reserve);
    expect(await balanceOf(env, 'INCOME_PENDING_DISTRIBUTION')).toBe(pendingBefore - 5_000_000);
    const report = (await env.gql('finance', REPORT, { id: p2024.plan.id })).data.distributionAuditReport;
    expect(report).toMatchObject({ incomeInPeriod: '50000.00', costsTotal: '400.00', costs: [{ kind: 'UPKEEP_EXPENSE', amount: '400.00', paidFrom: 'UPKEEP_RESERVE' }] });
    expect(report.totals).toEqual({ planTotal: '49600.00', linesTotal: '49600.00', executedInJournal: '50000.00', costsRepaid: '400.00', reconciles: true });
    expect((await verifyChain(env.db)).intact).toBe(true);
    repaidPlanId = p2024.plan.id;
  });

  it("verify reconciles a plan's costs (分配成本) with their entries, and a reversed plan that repaid a cost still reconciles", async () => {
    const cost = await env.db('distribution_plan_receipts').where({ plan_id: gidNum(repaidPlanId), role: 'COST' }).first();
    for (const [column, value] of [['amount_fen', Number(cost.amount_fen) + 1], ['paid_from', 'CASH']] as const) {
      await env.db('distribution_plan_receipts').where({ id: cost.id }).update({ [column]: value });
      try {
        const v = await verifyChain(env.db);
        expect(v).toMatchObject({ intact: false, failure: { problem: 'DOMAIN_MISMATCH' } });
        // The amount is wrong on the cost row first; a cost said to come from another pot also changes what
        // the execution repaid, but the plan (lower id in its table's turn) is checked before its receipts.
        if (!v.intact) expect(v.failure.expected).toMatch(/^distribution_(plan_receipts|plans) #/);
      } finally {
        await env.db('distribution_plan_receipts').where({ id: cost.id }).update({ [column]: cost[column] });
      }
    }
    await ok(env, 'clerk', `mutation($input: DistributionReverseInput!) { distributionPlanReverse(input: $input) { plan { status } errors { code } } }`, {
      planId: repaidPlanId,
      reason: '名单有误',
      idempotencyKey: 'rev-repaid',
    });
    expect((await env.db('distribution_plan_receipts').where({ id: cost.id }).first()).released_on).not.toBeNull();
    expect(await verifyChain(env.db)).toMatchObject({ intact: true });
  });
});

/** Walks a drafted plan through meetings, notice, approval and execution in the given month of the year after. */
async function executeWalked(env: TestEnv, planId: string, month: string) {
  const steps = ['PARTY_BRANCH_PROPOSAL', 'TWO_COMMITTEES', 'PARTY_MEMBERS', 'REPRESENTATIVES'];
  for (const [i, s] of steps.entries()) {
    await ok(env, 'clerk', `mutation($input: DistributionMeetingInput!) { distributionMeetingRecord(input: $input) { errors { code } } }`, {
      planId, step: s, heldOn: `${month}-1${i}`, memberCount: 9, attendance: 9, votesFor: 9, votesAgainst: 0, abstentions: 0,
    });
  }
  await ok(env, 'clerk', `mutation($input: DistributionNoticeInput!) { distributionNoticePublish(input: $input) { errors { code } } }`, { planId, startOn: `${month}-14` });
  await ok(env, 'reviewer', `mutation($input: DistributionReviewInput!) { distributionPlanApprove(input: $input) { errors { code } } }`, { planId, reviewedOn: `${month}-20` });
  await ok(env, 'clerk', EXECUTE, { planId, executedOn: `${month}-28`, idempotencyKey: `exec-${planId}` });
}

describe('upgrading a database with plans executed before receipts were claimed', () => {
  it("claims each executed plan's receipts of its period, whole, up to its total; later plans no longer see them", async () => {
    const env = await setup();
    try {
      const hs = await households(env, 2);
      const a = await fundVillage(env, V.chaping, 6_000_000, '2024-03-01');
      const b = await fundVillage(env, V.chaping, 4_000_000, '2024-09-01');
      const planId = await planAt(env, 'EXECUTED', hs);
      // As an older database has it: the plan executed, no claim recorded.
      await env.db('distribution_plan_receipts').where({ plan_id: gidNum(planId) }).del();
      const later = await fundVillage(env, V.chaping, 1_000_000, '2024-12-01');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await require('../migrations/20261205003100_distribution_receipts_backfill').up(env.db);
      const claims = await env.db('distribution_plan_receipts').where({ plan_id: gidNum(planId) }).orderBy('id');
      expect(claims.map((c: any) => [c.entry_id, Number(c.amount_fen)])).toEqual([
        [gidNum(a), 6_000_000],
        [gidNum(b), 4_000_000],
      ]);
      const next = await ok(env, 'clerk', RECEIPTS, planInput(hs, { lines: RETAIN_ALL }));
      expect(next.plan.receipts.map((r: any) => r.entry.id)).toEqual([later]);
    } finally {
      await env.close();
    }
  });
});
