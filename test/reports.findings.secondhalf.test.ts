/**
 * Audit findings of the officials register and the second half (issue 14): related-party payees (wages and
 * grants, contract operators, disposal buyers; dividends left out), disposals below appraisal, without a notice
 * or with late proceeds, venture profit not split, flagged assets without a case and overdue cases. Each class
 * is created and found (and absent before it arose); a clean register produces none of them.
 * Today is 2026-11-22 (TEST_NOW).
 */
import { setup, TestEnv, gidNum } from './helpers';
import { fundVillage, households, ok, CREATE, MEETING, NOTICE, APPROVE, EXECUTE, PAY, MEETINGS, planInput } from './distribution.helpers';
import { lease, ownedAsset } from './income.helpers';
import { assetOfValue, approvedAndNoticed, gqlOk, key, M } from './disposal.helpers';
import { createBundle, BUNDLE_PROFIT } from './bundles.helpers';
import { company } from './journal.fixtures';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { householdPartyOf } from '../src/modules/parties/parties.service';
import { V } from '../seeds/demo-data';

const FINDINGS = `query($r: String!, $asOf: Date, $codes: [FindingCode!]) { auditFindings(regionCode: $r, asOf: $asOf, codes: $codes) {
  code severity regionCode message objects { type id label } evidence { type id label } since } }`;
type F = { code: string; severity: string; regionCode: string; message: string; objects: { type: string; id: string }[]; evidence: { id: string; type: string }; since: string | null };

const SECOND_HALF = ['RELATED_PARTY_PAYEE', 'DISPOSAL_BELOW_APPRAISAL', 'DISPOSAL_WITHOUT_NOTICE', 'DISPOSAL_PROCEEDS_LATE', 'VENTURE_PROFIT_NOT_SPLIT', 'IDLE_WITHOUT_CASE', 'REVITALISATION_CASE_OVERDUE'];

async function findings(env: TestEnv, codes: string[] | null, asOf?: string, region = '511922000000'): Promise<F[]> {
  const body = await env.gql('finance', FINDINGS, { r: region, asOf, codes });
  if (!body.data?.auditFindings) throw new Error(JSON.stringify(body));
  return body.data.auditFindings;
}

const REGISTER = `mutation($input: OfficialRegisterInput!) { officialRegister(input: $input) { official { id } errors { code message } } }`;
async function official(env: TestEnv, input: Record<string, unknown>): Promise<string> {
  const b = await env.gql('clerk', REGISTER, { input: { villageCode: V.chaping, role: 'COMMITTEE_DIRECTOR', termStartOn: '2021-01-15', ...input } });
  if (b.data?.officialRegister?.errors?.length !== 0) throw new Error(JSON.stringify(b));
  return b.data.officialRegister.official.id;
}

/** A plan of 茶坪村: 30% dividends to `dividend`, a 1 000.00 reward grant to `grant`, executed 2025-02-03, all paid 2025-02-05. */
async function paidPlan(env: TestEnv, dividend: string[], grant: string[], tag: string) {
  const input = planInput(dividend, {
    title: `茶坪村2024年度分配方案${tag}`,
    lines: [
      { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 3000, description: '脱贫户、监测对象分红', recipients: dividend.map((householdId) => ({ householdId })) },
      { type: 'REWARD_GRANT', basis: 'FIXED', amount: '1000.00', description: '产业奖补', recipients: grant.map((householdId) => ({ householdId })) },
      { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' },
    ],
  });
  const planId = (await ok(env, 'clerk', CREATE, input)).plan.id;
  for (const m of MEETINGS) await ok(env, 'clerk', MEETING, { planId, ...m });
  await ok(env, 'clerk', NOTICE, { planId, startOn: '2025-01-23' });
  await ok(env, 'reviewer', APPROVE, { planId, reviewedOn: '2025-01-28', opinion: '同意' });
  await ok(env, 'clerk', EXECUTE, { planId, executedOn: '2025-02-03', idempotencyKey: `exec-${tag}` });
  for (const [i, h] of [...new Set([...dividend, ...grant])].entries()) {
    await ok(env, 'clerk', PAY, { planId, householdId: h, paidOn: '2025-02-05', bankReference: `NXS-${tag}-${i}`, idempotencyKey: `pay-${tag}-${i}` });
  }
  return planId as string;
}

const executeInput = (disposalId: string, o: Record<string, unknown>) => ({
  disposalId,
  executedOn: '2026-04-15',
  price: '30000.00',
  exchangeDealRef: null,
  dealContractNo: 'NJ-CZ-2026-009',
  idempotencyKey: key(),
  ...o,
});

const FLAG = `mutation($input: IdleFlagRaiseInput!) { idleFlagRaise(input: $input) { flags { kind } errors { code message } } }`;
const OPEN = `mutation($input: RevitalisationCaseOpenInput!) { revitalisationCaseOpen(input: $input) { case { id } errors { code message } } }`;
const openInput = (assetId: string, o: Record<string, unknown> = {}) => ({
  assetId, path: 'ATTRACT_OPERATORS', measures: '公开招租', responsibleUnit: '云顶镇人民政府', responsiblePerson: '王镇长',
  openedOn: '2026-11-02', deadlineOn: '2027-06-30', target: '签订租赁合同', ...o,
});
async function flagged(env: TestEnv, name: string, flaggedOn: string) {
  const asset = await ownedAsset(env, undefined, { name });
  const b = await env.gql('planner', FLAG, { input: { assetId: asset.id, flaggedOn } });
  if (b.data?.idleFlagRaise?.errors?.length !== 0) throw new Error(JSON.stringify(b));
  return asset;
}

describe('audit findings of the officials register and the second half: each class', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it('RELATED_PARTY_PAYEE: a grant paid to an official\'s household is found; a dividend to an official\'s household is not', async () => {
    await fundVillage(env, V.chaping, 20_000_000, '2024-12-31');
    const [director, member, other] = await households(env, 3);
    await official(env, { name: '陈主任', householdId: director });
    await official(env, { name: '陈委员', role: 'SUPERVISION_MEMBER', householdId: member });
    const planId = await paidPlan(env, [director, member, other], [director, other], 'R');
    const f = (await findings(env, ['RELATED_PARTY_PAYEE'])).filter((x) => x.evidence.id === planId);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'MEDIUM', regionCode: V.chaping, since: '2025-02-05' });
    expect(f[0].objects.map((o) => o.type)).toEqual(['DistributionPlan', 'Household', 'VillageOfficial']);
    expect(f[0].objects[1].id).toBe(director);
    expect(f[0].message).toContain('奖励补助 500.00 元'); // 1 000.00 shared by two households
    expect(f[0].message).toContain('村委会主任陈主任');
    // Before the payment there was nothing to find.
    expect((await findings(env, ['RELATED_PARTY_PAYEE'], '2025-02-04')).filter((x) => x.evidence.id === planId)).toEqual([]);
  });

  it('RELATED_PARTY_PAYEE: an official who took office after the payment is not related to it', async () => {
    await fundVillage(env, V.chaping, 5_000_000, '2024-12-30');
    const [later] = await households(env, 1);
    await official(env, { name: '陈新任', role: 'ACCOUNTANT', householdId: later, termStartOn: '2025-06-01' });
    const planId = await paidPlan(env, [later], [later], 'L');
    expect((await findings(env, ['RELATED_PARTY_PAYEE'])).filter((x) => x.evidence.id === planId)).toEqual([]);
  });

  it('RELATED_PARTY_PAYEE: a lease signed with an official\'s own party', async () => {
    const person = await partiesRepo.insert(env.db, { kind: 'INDIVIDUAL', name: '陈书记', regionCode: V.chaping, creditCode: null, createdAt: env.clock.now() });
    await official(env, { name: '陈书记', role: 'PARTY_SECRETARY', partyId: `Party:${person}` });
    const asset = await ownedAsset(env, undefined, { name: '干部承租厂房' });
    const contract = await lease(env, asset.id, person);
    const f = (await findings(env, ['RELATED_PARTY_PAYEE'])).filter((x) => x.evidence.id === contract.id);
    expect(f).toMatchObject([{ severity: 'HIGH', since: '2021-12-15' }]);
    expect(f[0].message).toContain('村党组织书记陈书记');
    expect((await findings(env, ['RELATED_PARTY_PAYEE'], '2021-12-14')).filter((x) => x.evidence.id === contract.id)).toEqual([]);
  });

  let belowId: string;
  it('RELATED_PARTY_PAYEE, DISPOSAL_BELOW_APPRAISAL and DISPOSAL_PROCEEDS_LATE: a sale below appraisal to an official\'s household, paid late', async () => {
    const [buyer] = await households(env, 1);
    await official(env, { name: '陈会计', role: 'ACCOUNTANT', householdId: buyer });
    const asset = await assetOfValue(env, '40000.00');
    belowId = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '45000.00', exception: { floor: '40000.00', reason: '设备老化，两次挂牌无人应价' } });
    const e = await gqlOk(env, 'clerk', M.execute, executeInput(belowId, { price: '41000.00', recipient: { householdId: buyer }, proceedsReceivedOn: '2026-06-30' }), 'disposalExecute');
    expect(e.disposal.flags).toEqual(['BELOW_APPRAISAL_WITH_EXCEPTION', 'RELATED_BUYER', 'PROCEEDS_LATE']);
    const all = (await findings(env, SECOND_HALF)).filter((x) => x.evidence.id === belowId);
    expect(all.map((x) => [x.code, x.severity])).toEqual([
      ['RELATED_PARTY_PAYEE', 'HIGH'],
      ['DISPOSAL_BELOW_APPRAISAL', 'MEDIUM'],
      ['DISPOSAL_PROCEEDS_LATE', 'MEDIUM'],
    ]);
    expect(all[1].message).toContain('成交价 41000.00 元低于评估价 45000.00 元');
    expect(all.every((x) => x.since === '2026-04-15')).toBe(true);
    expect((await findings(env, SECOND_HALF, '2026-04-14')).filter((x) => x.evidence.id === belowId)).toEqual([]);
  });

  it('DISPOSAL_WITHOUT_NOTICE: a disposal executed before its notice ended (imported books)', async () => {
    const asset = await assetOfValue(env, '30000.00');
    const id = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '30000.00' });
    const buyer = await company(env, '南江县买方有限公司');
    await gqlOk(env, 'clerk', M.execute, executeInput(id, { recipient: { partyId: `Party:${buyer}` } }), 'disposalExecute');
    expect((await findings(env, ['DISPOSAL_WITHOUT_NOTICE'])).filter((x) => x.evidence.id === id)).toEqual([]);
    await env.db('disposals').where({ id: gidNum(id) }).update({ executed_on: '2026-04-05' });
    const f = (await findings(env, ['DISPOSAL_WITHOUT_NOTICE'])).filter((x) => x.evidence.id === id);
    expect(f).toMatchObject([{ severity: 'HIGH', since: '2026-04-05' }]);
    expect(f[0].message).toContain('公示期至 2026-04-10 尚未结束');
  });

  it('VENTURE_PROFIT_NOT_SPLIT: a profit declared 2025-06-30 and never split, past the 12-month limit', async () => {
    const bundle = await createBundle(env);
    const p = await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: bundle.id, year: 2025, profit: '80000.00', declaredOn: '2025-06-30', reference: '联营董〔2025〕1号' } });
    expect(p.data.bundleProfitRecord.errors).toEqual([]);
    const f = (await findings(env, ['VENTURE_PROFIT_NOT_SPLIT'])).filter((x) => x.evidence.id === bundle.id);
    expect(f).toMatchObject([{ severity: 'HIGH', since: '2025-06-30' }]);
    expect(f[0].message).toContain('80000.00 元超过 12 个月未分配');
    expect((await findings(env, ['VENTURE_PROFIT_NOT_SPLIT'], '2026-06-30')).filter((x) => x.evidence.id === bundle.id)).toEqual([]);
  });

  it('IDLE_WITHOUT_CASE and REVITALISATION_CASE_OVERDUE: a flag with no case for months; a case past its deadline', async () => {
    const idle = await flagged(env, '闲置无方案厂房', '2026-03-01');
    const late = await flagged(env, '盘活逾期厂房', '2025-06-01');
    const c = await env.gql('planner', OPEN, { input: openInput(late.id, { openedOn: '2025-07-01', deadlineOn: '2025-12-31' }) });
    expect(c.data.revitalisationCaseOpen.errors).toEqual([]);
    const caseId = c.data.revitalisationCaseOpen.case.id;
    const f = await findings(env, ['IDLE_WITHOUT_CASE', 'REVITALISATION_CASE_OVERDUE']);
    expect(f.filter((x) => x.evidence.id === idle.id)).toMatchObject([{ code: 'IDLE_WITHOUT_CASE', severity: 'MEDIUM', since: '2026-03-01' }]);
    expect(f.filter((x) => x.evidence.id === late.id)).toEqual([]); // its case was opened within a month
    expect(f.filter((x) => x.evidence.id === caseId)).toMatchObject([{ code: 'REVITALISATION_CASE_OVERDUE', severity: 'MEDIUM', since: '2025-12-31' }]);
    // Three months after the flag, and before the deadline, neither.
    const early = await findings(env, ['IDLE_WITHOUT_CASE', 'REVITALISATION_CASE_OVERDUE'], '2025-12-31');
    expect(early.filter((x) => x.evidence.id === caseId || x.evidence.id === idle.id)).toEqual([]);
    expect((await findings(env, ['IDLE_WITHOUT_CASE'], '2026-06-01')).filter((x) => x.evidence.id === idle.id)).toEqual([]);
  });
});

describe('audit findings of the officials register and the second half: a clean register produces none', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it('officials paid only dividends, a fair lease, a sale at appraisal after its notice, a fresh venture profit, a flagged asset with a timely case', async () => {
    await fundVillage(env, V.chaping, 20_000_000, '2024-12-31');
    const [director, other] = await households(env, 2);
    await official(env, { name: '陈主任', householdId: director });
    await paidPlan(env, [director, other], [other], 'C');
    const person = await partiesRepo.insert(env.db, { kind: 'INDIVIDUAL', name: '承租人', regionCode: V.chaping, creditCode: null, createdAt: env.clock.now() });
    await lease(env, (await ownedAsset(env)).id, person);
    // The director's household party exists and is a related party, but buys nothing.
    await householdPartyOf(env.db, env.clock, gidNum(director));
    const asset = await assetOfValue(env, '30000.00');
    const id = await approvedAndNoticed(env, asset.id, { method: 'TRANSFER' }, { value: '30000.00' });
    await gqlOk(env, 'clerk', M.execute, executeInput(id, { recipient: { householdId: other } }), 'disposalExecute');
    const bundle = await createBundle(env);
    await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: bundle.id, year: 2025, profit: '80000.00', declaredOn: '2026-03-31', reference: '联营董〔2026〕1号' } });
    const a = await flagged(env, '已立案厂房', '2026-03-01');
    const c = await env.gql('planner', OPEN, { input: openInput(a.id, { openedOn: '2026-04-01' }) });
    expect(c.data.revitalisationCaseOpen.errors).toEqual([]);
    await flagged(env, '新认定闲置厂房', '2026-10-01');

    expect(await findings(env, SECOND_HALF)).toEqual([]);
    expect(await findings(env, SECOND_HALF, '2026-10-31')).toEqual([]);
  });
});
