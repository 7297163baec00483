/**
 * Revitalisation (issue 12) through HTTP: detection boundaries, flags, cases and their closing rules, 盘活率
 * against hand-computed figures with its roll-up, 联农带农 records, the county's thresholds, and every
 * rejection writing nothing. Today is 2026-11-22 (TEST_NOW).
 */
import fc from 'fast-check';
import { setup, TestEnv, snapshot } from './helpers';
import { company } from './journal.fixtures';
import { createProject, registerAsset, signContract, STEP, confirmInput, handOverInput } from './fixtures';
import { incomeInput, recorded } from './income.helpers';
import { V, YUNDING } from '../seeds/demo-data';
import { benchmarkFen, rateOf, wholeMonths } from '../src/modules/revitalisation/revitalisation.rules';

const COUNTY = '511922000000';
let env: TestEnv;
let payer: number;

/** A handed-over asset of `village` worth `value` yuan (handed over 2021-11-20), set up by the admin. */
async function assetIn(village: string, value: string, overrides: Record<string, unknown> = {}) {
  const line = [{ source: 'CENTRAL_TRANSITION', amount: value }];
  const project = await createProject(env, { regionCode: village, fundingLines: line }, 'admin');
  const asset = await registerAsset(env, project.id, { villageCode: village, originalValue: value, fundingLines: line, ...overrides }, 'admin');
  const c = await env.gql('admin', STEP('rightsConfirm'), { input: confirmInput(asset.id, '2021-11-10', { owners: [{ villageCode: village, shareBp: 10000 }] }) });
  if (c.data?.rightsConfirm?.errors?.length !== 0) throw new Error(JSON.stringify(c));
  const h = await env.gql('admin', STEP('assetHandOver'), { input: handOverInput(asset.id, '2021-11-20') });
  if (h.data?.assetHandOver?.errors?.length !== 0) throw new Error(JSON.stringify(h));
  return asset;
}

const IDLE = `query($r: String, $on: Date) { idleAssets(regionCode: $r, asOf: $on) {
  asset { id } thresholdMonths lastActivityOn lastActivityKind lastIncomeOn lastContractDayOn monthsInactive idleFromOn openCase { id } } }`;
const LOW = `query($r: String, $y: Int!) { lowEfficiencyAssets(regionCode: $r, year: $y) {
  asset { id } daysInForce received guaranteedReturn benchmarkBp benchmark shortfall reasons poorWorkers excused excuseWorkers } }`;
const FLAG = `mutation($input: IdleFlagRaiseInput!) { idleFlagRaise(input: $input) {
  flags { kind raisedOn asset { id status } idle { monthsInactive lastActivityOn } event { action fromStatus toStatus effectiveOn } } errors { code field message } } }`;
const LOW_FLAG = `mutation($input: LowEfficiencyFlagRaiseInput!) { lowEfficiencyFlagRaise(input: $input) {
  flags { kind year asset { id } lowEfficiency { reasons shortfall } event { action } } errors { code field message } } }`;
const CASE_FIELDS = `id path status overdue openedOn deadlineOn endedOn closingKind closingEvidence abandonReason assetValue targetIncome
  responsibleUnit responsiblePerson measures target flag { kind } updates { kind onDate note changes } asset { id status }`;
const OPEN = `mutation($input: RevitalisationCaseOpenInput!) { revitalisationCaseOpen(input: $input) { case { ${CASE_FIELDS} } errors { code field message } } }`;
const UPDATE = `mutation($input: RevitalisationCaseUpdateInput!) { revitalisationCaseUpdate(input: $input) { case { ${CASE_FIELDS} } errors { code field message } } }`;
const CLOSE = `mutation($input: RevitalisationCaseCloseInput!) { revitalisationCaseClose(input: $input) { case { ${CASE_FIELDS} } errors { code field message } } }`;
const ABANDON = `mutation($input: RevitalisationCaseAbandonInput!) { revitalisationCaseAbandon(input: $input) { case { ${CASE_FIELDS} } errors { code field message } } }`;
const BENEFIT = `mutation($input: BenefitLinkageRecordInput!) { benefitLinkageRecord(input: $input) {
  record { year outputValue wages poorWorkers poorWorkerEarnings source asset { id } } errors { code field message } } }`;
const RATE = `query($r: String!, $from: Date, $to: Date) { revitalisationRate(regionCode: $r, fromOn: $from, toOn: $to) {
  region { code } toRevitaliseCount toRevitaliseValue revitalisedCount revitalisedValue ratioNumerator ratioDenominator rateBp rounding
  children { region { code } toRevitaliseCount toRevitaliseValue revitalisedCount revitalisedValue rateBp
    children { region { code } } } } }`;
const POLICY = `mutation($input: CountyPolicyUpdateInput!) { countyPolicyUpdate(input: $input) { policy { idleMonths lowEfficiencyBenchmarkBp benefitExcuseWorkers } errors { code field } } }`;

const TABLES = ['revitalisation_flags', 'revitalisation_cases', 'revitalisation_case_updates', 'benefit_linkage_records', 'asset_events', 'audit_log'];

const openInput = (assetId: string, o: Record<string, unknown> = {}) => ({
  assetId,
  path: 'ATTRACT_OPERATORS',
  measures: '公开招租，引进农业龙头企业经营',
  responsibleUnit: '云顶镇人民政府',
  responsiblePerson: '王镇长',
  openedOn: '2026-11-02',
  deadlineOn: '2027-06-30',
  target: '签订租赁合同，年租金不低于5万元',
  targetIncome: '50000.00',
  ...o,
});

/** Runs a mutation expected to fail with `code` and checks nothing was written. */
async function refused(query: string, input: Record<string, unknown>, key: string, code: string, token: Parameters<TestEnv['gql']>[0] = 'planner') {
  const before = await snapshot(env.db, TABLES);
  const body = await env.gql(token, query, { input });
  expect(body.data?.[key]?.errors?.[0]?.code ?? body.errors?.[0]?.extensions?.code).toBe(code);
  expect(await snapshot(env.db, TABLES)).toEqual(before);
  return body;
}

let A: { id: string }; // 茶坪村 600 000, never used since handover: idle from 2022-11-20
let C: { id: string }; // 茶坪村 400 000, leased 2022-01-01..2023-06-30, last income 2023-07-15
let E: { id: string }; // 金台村 1 000 000, never used: the overdue case
let F: { id: string }; // 茶坪村 600 000, leased from 2024 at 10 000 a year, 6% guaranteed: low-efficiency in 2025

beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  A = await assetIn(V.chaping, '600000.00');
  C = await assetIn(V.chaping, '400000.00');
  await signContract(env, C.id, { mode: 'LEASE', operator: { partyId: `Party:${payer}` }, signedOn: '2021-12-15', startOn: '2022-01-01', endOn: '2023-06-30', fee: { kind: 'FIXED', amount: '12500.00', period: 'QUARTER' } }, 'admin');
  await recorded(env, incomeInput(C.id, payer, { receivedOn: '2023-07-15', amount: '12500.00' }), 'admin');
  E = await assetIn(V.jintai, '1000000.00');
  F = await assetIn(V.chaping, '600000.00');
  await signContract(env, F.id, { mode: 'LEASE', operator: { partyId: `Party:${payer}` }, signedOn: '2023-12-15', startOn: '2024-01-01', endOn: '2030-12-31', fee: { kind: 'FIXED', amount: '10000.00', period: 'YEAR' }, guaranteedRateBp: 600 }, 'admin');
  await recorded(env, incomeInput(F.id, payer, { receivedOn: '2025-12-20', amount: '20000.00' }), 'admin');
});
afterAll(() => env.close());

const idleIds = async (asOf: string, token: Parameters<TestEnv['gql']>[0] = 'planner') =>
  ((await env.gql(token, IDLE, { r: COUNTY, on: asOf })).data.idleAssets as any[]).map((f) => f.asset.id);

describe('idle detection (default 12 months)', () => {
  it('counts from handover when nothing happened since: idle exactly 12 months later, not a day before', async () => {
    expect(await idleIds('2022-11-19')).not.toContain(A.id);
    const on = (await env.gql('planner', IDLE, { r: COUNTY, on: '2022-11-20' })).data.idleAssets.find((f: any) => f.asset.id === A.id);
    expect(on).toEqual({
      asset: { id: A.id },
      thresholdMonths: 12,
      lastActivityOn: '2021-11-20',
      lastActivityKind: 'HANDOVER',
      lastIncomeOn: null,
      lastContractDayOn: null,
      monthsInactive: 12,
      idleFromOn: '2022-11-20',
      openCase: null,
    });
  });

  it('counts from the latest of income and the last day under contract; an active contract is never idle', async () => {
    expect(await idleIds('2023-03-01')).not.toContain(C.id); // under contract that day
    expect(await idleIds('2024-07-14')).not.toContain(C.id);
    const f = (await env.gql('planner', IDLE, { r: COUNTY, on: '2024-07-15' })).data.idleAssets.find((x: any) => x.asset.id === C.id);
    expect(f).toMatchObject({ lastActivityOn: '2023-07-15', lastActivityKind: 'INCOME', lastIncomeOn: '2023-07-15', lastContractDayOn: '2023-06-30', monthsInactive: 12 });
    expect(await idleIds('2026-11-22')).not.toContain(F.id); // leased to 2030
  });

  it('follows the county policy: the planner sets 6 months, finance may not; the boundary moves', async () => {
    expect((await env.gql('finance', POLICY, { input: { countyCode: COUNTY, idleMonths: 6 } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await env.gql('planner', POLICY, { input: { countyCode: COUNTY, noticeDays: 12 } })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await env.gql('planner', POLICY, { input: { countyCode: COUNTY, idleMonths: 0 } })).data.countyPolicyUpdate.errors[0].code).toBe('OUT_OF_RANGE');
    const set = await env.gql('planner', POLICY, { input: { countyCode: COUNTY, idleMonths: 6 } });
    expect(set.data.countyPolicyUpdate).toEqual({ policy: { idleMonths: 6, lowEfficiencyBenchmarkBp: 300, benefitExcuseWorkers: 10 }, errors: [] });
    expect(await idleIds('2024-01-14')).not.toContain(C.id);
    expect(await idleIds('2024-01-15')).toContain(C.id);
    await env.gql('planner', POLICY, { input: { countyCode: COUNTY, idleMonths: 12 } });
    expect(await idleIds('2024-01-15')).not.toContain(C.id);
  });

  it('reads only inside the scope: a clerk of 亮垭村 sees none of 南江县', async () => {
    expect((await env.gql('liangyaClerk', IDLE, { r: COUNTY, on: '2026-11-22' })).data.idleAssets).toEqual([]);
    const own = (await env.gql('otherClerk', IDLE, { on: '2026-11-22' })).data.idleAssets.map((f: any) => f.asset.id);
    expect(own).toEqual([E.id]); // 金台村's clerk: its own village only
  });

  it('whole months and the benchmark are exact', () => {
    expect(wholeMonths('2024-01-31', '2024-02-29')).toBe(1);
    expect(wholeMonths('2024-01-31', '2024-02-28')).toBe(0);
    expect(wholeMonths('2021-11-20', '2026-11-22')).toBe(60);
    expect(benchmarkFen(60_000_000, 300, 366, 366)).toBe(1_800_000);
    expect(benchmarkFen(100, 300, 1, 365)).toBe(0);
    expect(benchmarkFen(60_000_000, 300, 183, 366)).toBe(900_000);
  });
});

describe('low-efficiency detection', () => {
  it('compares a full year\'s income with the guarantee and the benchmark, with the figures', async () => {
    const list = (await env.gql('planner', LOW, { r: COUNTY, y: 2025 })).data.lowEfficiencyAssets;
    expect(list).toEqual([
      {
        asset: { id: F.id },
        daysInForce: 365,
        received: '20000.00',
        guaranteedReturn: '36000.00',
        benchmarkBp: 300,
        benchmark: '18000.00',
        shortfall: '16000.00',
        reasons: ['BELOW_GUARANTEE'],
        poorWorkers: null,
        excused: false,
        excuseWorkers: 10,
      },
    ]);
    const y2024 = (await env.gql('planner', LOW, { r: COUNTY, y: 2024 })).data.lowEfficiencyAssets.find((x: any) => x.asset.id === F.id);
    expect(y2024).toMatchObject({ daysInForce: 366, received: '0.00', guaranteedReturn: '36000.00', benchmark: '18000.00', reasons: ['BELOW_GUARANTEE', 'BELOW_BENCHMARK'] });
    expect((await env.gql('planner', LOW, { r: COUNTY, y: 2026 })).errors[0].message).toMatch(/full year/);
  });

  it('is excused by 联农带农 figures reaching the county number (10 workers), not by fewer', async () => {
    const input = { assetId: F.id, year: 2025, outputValue: '900000.00', wages: '120000.00', poorWorkers: 9, poorWorkerEarnings: '60000.00', source: '运营方年报' };
    expect((await env.gql('clerk', BENEFIT, { input })).data.benefitLinkageRecord.errors).toEqual([]);
    let f = (await env.gql('planner', LOW, { r: COUNTY, y: 2025 })).data.lowEfficiencyAssets[0];
    expect(f).toMatchObject({ poorWorkers: 9, excused: false });
    const again = await env.gql('clerk', BENEFIT, { input: { ...input, poorWorkers: 12 } });
    expect(again.data.benefitLinkageRecord.record).toMatchObject({ poorWorkers: 12, outputValue: '900000.00' });
    expect(Number((await env.db('benefit_linkage_records').count({ n: '*' }).first())!.n)).toBe(1);
    f = (await env.gql('planner', LOW, { r: COUNTY, y: 2025 })).data.lowEfficiencyAssets[0];
    expect(f).toMatchObject({ poorWorkers: 12, excused: true });
    await refused(LOW_FLAG, { assetId: F.id, year: 2025, flaggedOn: '2026-11-01' }, 'lowEfficiencyFlagRaise', 'NOT_LOW_EFFICIENCY');
    // 2024 is not excused (no record that year): flag it.
    const body = await env.gql('planner', LOW_FLAG, { input: { assetId: F.id, year: 2024, flaggedOn: '2026-11-01' } });
    expect(body.data.lowEfficiencyFlagRaise).toEqual({
      flags: [{ kind: 'LOW_EFFICIENCY', year: 2024, asset: { id: F.id }, lowEfficiency: { reasons: ['BELOW_GUARANTEE', 'BELOW_BENCHMARK'], shortfall: '36000.00' }, event: { action: 'LOW_EFFICIENCY_FLAG' } }],
      errors: [],
    });
    await refused(LOW_FLAG, { assetId: F.id, year: 2024, flaggedOn: '2026-11-02' }, 'lowEfficiencyFlagRaise', 'DUPLICATE');
  });
});

describe('benefitLinkageRecord', () => {
  it('records the kiwi-park style figures exactly', async () => {
    const body = await env.gql('clerk', BENEFIT, { input: { assetId: F.id, year: 2024, outputValue: '2830000.00', wages: '605000.00', poorWorkers: 102, poorWorkerEarnings: '136000.00' } });
    expect(body.data.benefitLinkageRecord).toEqual({
      record: { year: 2024, outputValue: '2830000.00', wages: '605000.00', poorWorkers: 102, poorWorkerEarnings: '136000.00', source: null, asset: { id: F.id } },
      errors: [],
    });
  });

  it.each([
    ['negative wages', { wages: '-1.00' }, 'INVALID_AMOUNT'],
    ['earnings above wages', { poorWorkerEarnings: '700000.00' }, 'INVALID_AMOUNT'],
    ['negative workers', { poorWorkers: -1 }, 'OUT_OF_RANGE'],
    ['a future year', { year: 2027 }, 'OUT_OF_RANGE'],
  ])('refuses %s, writing nothing', async (_, o, code) => {
    await refused(BENEFIT, { assetId: F.id, year: 2023, outputValue: '100.00', wages: '605000.00', poorWorkers: 1, poorWorkerEarnings: '1.00', ...o }, 'benefitLinkageRecord', code, 'clerk');
  });

  it('refuses over-precise money at the scalar, writing nothing', async () => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', BENEFIT, { input: { assetId: F.id, year: 2023, outputValue: '100.001', wages: '1.00', poorWorkers: 1, poorWorkerEarnings: '1.00' } });
    expect(body.errors[0].message).toMatch(/two decimals/);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('flags and cases', () => {
  it('idleFlagRaise marks the asset IDLE through MARK_IDLE with its evidence; again is DUPLICATE; a busy asset is NOT_IDLE', async () => {
    const body = await env.gql('planner', FLAG, { input: { assetId: A.id, flaggedOn: '2026-11-01' } });
    expect(body.data.idleFlagRaise).toEqual({
      flags: [
        {
          kind: 'IDLE',
          raisedOn: '2026-11-01',
          asset: { id: A.id, status: 'IDLE' },
          idle: { monthsInactive: 59, lastActivityOn: '2021-11-20' },
          event: { action: 'MARK_IDLE', fromStatus: 'HANDED_OVER', toStatus: 'IDLE', effectiveOn: '2026-11-01' },
        },
      ],
      errors: [],
    });
    const payload = JSON.parse((await env.db('asset_events').where({ asset_id: Number(A.id.split(':')[1]), action: 'MARK_IDLE' }).first()).payload);
    expect(payload).toMatchObject({ rule: 'IDLE', thresholdMonths: 12, lastActivityKind: 'HANDOVER', monthsInactive: 59 });
    await refused(FLAG, { assetId: A.id, flaggedOn: '2026-11-02' }, 'idleFlagRaise', 'DUPLICATE');
    await refused(FLAG, { assetId: F.id, flaggedOn: '2026-11-02' }, 'idleFlagRaise', 'NOT_IDLE');
    await refused(FLAG, { assetId: A.id, flaggedOn: '2026-12-01' }, 'idleFlagRaise', 'DATE_IN_FUTURE');
    await refused(FLAG, { regionCode: COUNTY, assetId: A.id, flaggedOn: '2026-11-02' }, 'idleFlagRaise', 'INVALID_INPUT');
  });

  it('flags every detected asset of a region at once, leaving out those already flagged', async () => {
    const body = await env.gql('planner', FLAG, { input: { regionCode: YUNDING, flaggedOn: '2026-01-05' } });
    expect(body.data.idleFlagRaise.errors).toEqual([]);
    const flagged = body.data.idleFlagRaise.flags.map((f: any) => [f.asset.id, f.event.action]);
    expect(flagged).toEqual([
      [C.id, 'MARK_IDLE'],
      [E.id, 'MARK_IDLE'],
    ]); // A was flagged already (its flag stands since its last activity)
    // As of 2023-06-01, F was idle too, but it went into operation on 2024-01-01: a past region flag leaves it out.
    const past = await env.gql('planner', FLAG, { input: { regionCode: V.chaping, flaggedOn: '2023-06-01' } });
    expect(past.data.idleFlagRaise).toEqual({ flags: [], errors: [] });
  });

  it('opens one case per flagged asset; rejections write nothing', async () => {
    await refused(OPEN, openInput(F.id, { openedOn: '2026-10-01' }), 'revitalisationCaseOpen', 'NOT_FLAGGED'); // F's flag is of 2026-11-01
    await refused(OPEN, openInput(A.id, { deadlineOn: '2026-11-02' }), 'revitalisationCaseOpen', 'DATE_ORDER');
    await refused(OPEN, openInput(A.id, { openedOn: '2026-12-01', deadlineOn: '2027-12-01' }), 'revitalisationCaseOpen', 'DATE_IN_FUTURE');
    await refused(OPEN, openInput(A.id, { targetIncome: '-5.00' }), 'revitalisationCaseOpen', 'INVALID_AMOUNT');
    await refused(OPEN, openInput(A.id, { measures: '  ' }), 'revitalisationCaseOpen', 'REQUIRED');
    const badPath = await env.gql('planner', OPEN, { input: openInput(A.id, { path: 'SELL_IT' }) });
    expect(badPath.errors[0].message).toMatch(/RevitalisationPath/);
    await refused(OPEN, openInput(A.id), 'revitalisationCaseOpen', 'NOT_FOUND', 'liangyaClerk');

    const body = await env.gql('planner', OPEN, { input: openInput(A.id) });
    const c = body.data.revitalisationCaseOpen.case;
    expect(c).toMatchObject({ path: 'ATTRACT_OPERATORS', status: 'OPEN', overdue: false, assetValue: '600000.00', targetIncome: '50000.00', flag: { kind: 'IDLE' } });
    expect(c.updates).toEqual([{ kind: 'OPEN', onDate: '2026-11-02', note: null, changes: null }]);
    await refused(OPEN, openInput(A.id, { path: 'OPTIMISE_USE' }), 'revitalisationCaseOpen', 'CASE_ALREADY_OPEN');
  });

  it('records progress and plan changes; an overdue case is flagged', async () => {
    const overdue = (await env.gql('planner', OPEN, { input: openInput(E.id, { path: 'IMPROVE_FACILITIES', openedOn: '2026-01-10', deadlineOn: '2026-06-30' }) })).data.revitalisationCaseOpen.case;
    expect(overdue.overdue).toBe(true);
    const list = await env.gql('planner', `{ revitalisationCases(filter: { overdue: true }) { nodes { id } } }`);
    expect(list.data.revitalisationCases.nodes).toEqual([{ id: overdue.id }]);
    const upd = await env.gql('planner', UPDATE, { input: { caseId: overdue.id, updatedOn: '2026-11-20', note: '设施改造招标延误，延期', deadlineOn: '2027-03-31' } });
    expect(upd.data.revitalisationCaseUpdate.case).toMatchObject({ overdue: false, deadlineOn: '2027-03-31' });
    expect(JSON.parse(upd.data.revitalisationCaseUpdate.case.updates[1].changes)).toEqual({ before: { deadlineOn: '2026-06-30' }, after: { deadlineOn: '2027-03-31' } });
    await refused(UPDATE, { caseId: overdue.id, updatedOn: '2026-11-21', note: 'x', deadlineOn: '2026-01-01' }, 'revitalisationCaseUpdate', 'DATE_ORDER');
    await env.gql('planner', UPDATE, { input: { caseId: overdue.id, updatedOn: '2026-11-21', note: '恢复原时限', deadlineOn: '2026-06-30' } });
  });

  it('closes only with a new contract signed after opening and income under it', async () => {
    const c = (await env.gql('planner', `{ revitalisationCases(filter: { status: OPEN, path: ATTRACT_OPERATORS }) { nodes { id } } }`)).data.revitalisationCases.nodes[0];
    const input = { caseId: c.id, closedOn: '2026-11-20', kind: 'NEW_CONTRACT_WITH_INCOME' };
    await refused(CLOSE, input, 'revitalisationCaseClose', 'NO_EVIDENCE');
    const lease = await signContract(env, A.id, { mode: 'LEASE', operator: { partyId: `Party:${payer}` }, signedOn: '2026-11-05', startOn: '2026-11-05', endOn: '2031-11-04', fee: { kind: 'FIXED', amount: '60000.00', period: 'YEAR' } }, 'admin');
    await refused(CLOSE, input, 'revitalisationCaseClose', 'NO_EVIDENCE'); // contract, but no income yet
    await refused(CLOSE, { ...input, kind: 'USE_RESTORED' }, 'revitalisationCaseClose', 'CLASS_NOT_ALLOWED');
    await refused(CLOSE, { ...input, kind: 'BUNDLED' }, 'revitalisationCaseClose', 'NO_EVIDENCE');
    await refused(CLOSE, { ...input, kind: 'DISPOSED' }, 'revitalisationCaseClose', 'NO_EVIDENCE');
    const income = await recorded(env, incomeInput(A.id, payer, { receivedOn: '2026-11-10', amount: '60000.00' }), 'admin');
    await refused(CLOSE, { ...input, closedOn: '2026-11-01' }, 'revitalisationCaseClose', 'DATE_ORDER');
    await refused(CLOSE, { ...input, closedOn: '2026-11-08' }, 'revitalisationCaseClose', 'NO_EVIDENCE'); // income came after
    await refused(CLOSE, input, 'revitalisationCaseClose', 'FORBIDDEN', 'clerk');
    const body = await env.gql('planner', CLOSE, { input });
    const closed = body.data.revitalisationCaseClose.case;
    expect(closed).toMatchObject({ status: 'CLOSED', endedOn: '2026-11-20', closingKind: 'NEW_CONTRACT_WITH_INCOME', overdue: false, asset: { status: 'IN_OPERATION' } });
    expect(JSON.parse(closed.closingEvidence)).toEqual({
      contractId: Number(lease.id.split(':')[1]),
      contractNo: lease.contractNo,
      signedOn: '2026-11-05',
      incomeRecordIds: [Number(income.income.id.split(':')[1])],
      incomeFen: 6_000_000,
      firstIncomeOn: '2026-11-10',
    });
    await refused(CLOSE, input, 'revitalisationCaseClose', 'CASE_NOT_OPEN');
    await refused(ABANDON, { caseId: c.id, abandonedOn: '2026-11-21', reason: 'x' }, 'revitalisationCaseAbandon', 'CASE_NOT_OPEN');
  });

  it('refuses evidence dated before the case opened, then abandons with a reason', async () => {
    const c = (await env.gql('planner', OPEN, { input: openInput(C.id, { path: 'FLEXIBLE_RESTRUCTURING', openedOn: '2026-02-01' }) })).data.revitalisationCaseOpen.case;
    await refused(CLOSE, { caseId: c.id, closedOn: '2026-11-20', kind: 'NEW_CONTRACT_WITH_INCOME' }, 'revitalisationCaseClose', 'EVIDENCE_BEFORE_CASE');
    await refused(ABANDON, { caseId: c.id, abandonedOn: '2026-01-31', reason: '并入乡镇联营计划' }, 'revitalisationCaseAbandon', 'DATE_ORDER');
    const body = await env.gql('planner', ABANDON, { input: { caseId: c.id, abandonedOn: '2026-11-20', reason: '厂房结构安全不达标，转入处置程序' } });
    expect(body.data.revitalisationCaseAbandon.case).toMatchObject({ status: 'ABANDONED', endedOn: '2026-11-20', abandonReason: '厂房结构安全不达标，转入处置程序' });
  });
});

describe('盘活率', () => {
  it('matches the hand computation: (600 000 ÷ 2 000 000 + 1 ÷ 3) ÷ 2 = 19/60 = 3167 bp', async () => {
    const r = (await env.gql('planner', RATE, { r: COUNTY })).data.revitalisationRate;
    expect(r).toMatchObject({
      toRevitaliseCount: 3,
      toRevitaliseValue: '2000000.00',
      revitalisedCount: 1,
      revitalisedValue: '600000.00',
      ratioNumerator: '19',
      ratioDenominator: '60',
      rateBp: 3167,
    });
    expect(r.rounding).toMatch(/half up/);
  });

  it('rolls up exactly: villages add up to the township, townships to the county', async () => {
    const county = (await env.gql('planner', RATE, { r: COUNTY })).data.revitalisationRate;
    const yunding = (await env.gql('planner', RATE, { r: YUNDING })).data.revitalisationRate;
    const sum = (rs: any[], k: string) => rs.reduce((s, r) => s + (k.endsWith('Value') ? Math.round(Number(r[k]) * 100) : r[k]), 0);
    for (const k of ['toRevitaliseCount', 'toRevitaliseValue', 'revitalisedCount', 'revitalisedValue']) {
      expect(sum(county.children, k)).toBe(sum([county], k));
      expect(sum(yunding.children, k)).toBe(sum([yunding], k));
    }
    const chaping = yunding.children.find((c: any) => c.region.code === V.chaping);
    expect(chaping).toMatchObject({ toRevitaliseCount: 2, toRevitaliseValue: '1000000.00', revitalisedCount: 1, revitalisedValue: '600000.00', rateBp: 5500 });
    expect(yunding.children.find((c: any) => c.region.code === V.jintai)).toMatchObject({ toRevitaliseCount: 1, revitalisedCount: 0, rateBp: 0 });
  });

  it('limits to a period: cases ended before it are out, closings after it are not revitalised', async () => {
    const before = (await env.gql('planner', RATE, { r: COUNTY, to: '2026-11-10' })).data.revitalisationRate;
    expect(before).toMatchObject({ toRevitaliseCount: 3, revitalisedCount: 0, rateBp: 0 });
    const after = (await env.gql('planner', RATE, { r: COUNTY, from: '2026-11-21' })).data.revitalisationRate;
    expect(after).toMatchObject({ toRevitaliseCount: 1, revitalisedCount: 0 }); // only E's case is still open
    const none = (await env.gql('planner', RATE, { r: COUNTY, to: '2025-01-01' })).data.revitalisationRate;
    expect(none).toMatchObject({ toRevitaliseCount: 0, rateBp: null, ratioNumerator: null });
  });

  it('computes the formula exactly for any figures (property)', () => {
    const figures = fc
      .tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }))
      .map(([tc, rc, tv, rv]) => ({ toRevitaliseCount: tc, revitalisedCount: Math.min(rc, tc), toRevitaliseValueFen: tv, revitalisedValueFen: Math.min(rv, tv) }));
    fc.assert(
      fc.property(figures, (c) => {
        const r = rateOf(c);
        const num = BigInt(c.revitalisedValueFen) * BigInt(c.toRevitaliseCount) + BigInt(c.revitalisedCount) * BigInt(c.toRevitaliseValueFen);
        const den = 2n * BigInt(c.toRevitaliseValueFen) * BigInt(c.toRevitaliseCount);
        // the reduced fraction equals the formula's, and the basis points are it rounded half up
        expect(BigInt(r.ratioNumerator!) * den).toBe(num * BigInt(r.ratioDenominator!));
        const twice = (num * 20000n) / den; // floor(2 × ratio × 10000)
        expect(BigInt(r.rateBp!)).toBe((twice + 1n) / 2n);
        expect(r.rateBp).toBeGreaterThanOrEqual(0);
        expect(r.rateBp).toBeLessThanOrEqual(10000);
      }),
      { numRuns: 500 },
    );
  });
});

describe('overview', () => {
  it('gives the county and each township its counts, cases, overdue, rate and benefit totals', async () => {
    const q = `{ revitalisationOverview(regionCode: "${COUNTY}") { year total { idleCount lowEfficiencyCount excusedCount toRevitaliseCount overdueCount
      cases { path status count } rate { rateBp } benefit { year poorWorkers wages } } rows { region { name } toRevitaliseCount } } }`;
    const o = (await env.gql('planner', q)).data.revitalisationOverview;
    expect(o.year).toBe(2025);
    expect(o.total).toMatchObject({ toRevitaliseCount: 3, overdueCount: 1, rate: { rateBp: 3167 }, excusedCount: 1, lowEfficiencyCount: 0, benefit: { year: 2025, poorWorkers: 12, wages: '120000.00' } });
    expect(o.total.cases).toEqual(
      expect.arrayContaining([
        { path: 'ATTRACT_OPERATORS', status: 'CLOSED', count: 1 },
        { path: 'IMPROVE_FACILITIES', status: 'OPEN', count: 1 },
        { path: 'FLEXIBLE_RESTRUCTURING', status: 'ABANDONED', count: 1 },
      ]),
    );
    expect(o.rows.map((r: any) => [r.region.name, r.toRevitaliseCount])).toEqual([
      ['长赤镇', 0],
      ['云顶镇', 3],
    ]);
  });
});
