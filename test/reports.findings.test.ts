/**
 * Built-in audit checks (issue 14): each finding class is created and found, with its code, severity, objects
 * and evidence; a clean register produces none. States the API refuses to create (dates out of order, a
 * contract signed after its term began, handover without confirmation) are written straight through the owning
 * repositories, as an import of legacy books would leave them.
 */
import { setup, TestEnv, gidNum } from './helpers';
import { createProject, registerAsset, step, STEP, confirmInput, handOverInput, signContract } from './fixtures';
import { incomeInput, lease, recorded } from './income.helpers';
import { fundVillage, households, ok, planAt, PAY, RESULTS } from './distribution.helpers';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import * as contractsRepo from '../src/modules/contracts/contracts.repository';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import * as distributionRepo from '../src/modules/distribution/distribution.repository';
import { V } from '../seeds/demo-data';

const FINDINGS = `query($r: String!, $asOf: Date, $codes: [FindingCode!]) { auditFindings(regionCode: $r, asOf: $asOf, codes: $codes) {
  code severity regionCode message objects { type id label } evidence { type id label } since } }`;

async function findings(env: TestEnv, codes: string[] | null, asOf?: string, region = '511922000000') {
  const body = await env.gql('finance', FINDINGS, { r: region, asOf, codes });
  if (!body.data?.auditFindings) throw new Error(JSON.stringify(body));
  return body.data.auditFindings as { code: string; severity: string; regionCode: string; message: string; objects: { type: string; id: string }[]; evidence: { id: string }; since: string | null }[];
}

async function company(env: TestEnv, name = '南江县测试农业有限公司', creditCode = '91511922MA6BTEST02') {
  return partiesRepo.insert(env.db, { kind: 'COMPANY', name, regionCode: '511922000000', creditCode, createdAt: env.clock.now() });
}

/** An operating asset of 茶坪村 confirmed and handed over, value 600 000.00 of a 600 000.00 project (matched). */
async function handedOver(env: TestEnv, overrides: Record<string, unknown> = {}) {
  const project = await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '500000.00' }, { source: 'VILLAGE_SELF_FUNDED', amount: '100000.00' }] });
  const asset = await registerAsset(env, project.id, overrides);
  const c = await env.gql('clerk', STEP('rightsConfirm'), { input: confirmInput(asset.id, '2021-11-10') });
  if (c.data?.rightsConfirm?.errors?.length !== 0) throw new Error(JSON.stringify(c));
  const h = await env.gql('clerk', STEP('assetHandOver'), { input: handOverInput(asset.id, '2021-11-20') });
  if (h.data?.assetHandOver?.errors?.length !== 0) throw new Error(JSON.stringify(h));
  return { project, asset };
}

describe('audit findings: each class', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it('PROJECT_NOT_MATCHED_BY_ASSETS: 1 000 000.00 of project funding, 600 000.00 registered', async () => {
    const project = await createProject(env); // 800 000 + 200 000
    await registerAsset(env, project.id);
    const f = (await findings(env, ['PROJECT_NOT_MATCHED_BY_ASSETS'])).filter((x) => x.evidence.id === project.id);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'HIGH', regionCode: V.chaping, objects: [{ type: 'Project', id: project.id }] });
    expect(f[0].message).toContain('差额 400000.00 元');
    // Before the project's own year ended it is not yet a finding (a year to build and register).
    expect((await findings(env, ['PROJECT_NOT_MATCHED_BY_ASSETS'], '2021-12-31')).filter((x) => x.evidence.id === project.id)).toEqual([]);
  });

  it('REGISTERED_NOT_BOOKED: an asset never booked; booked later leaves the finding before its booking date only', async () => {
    const { asset } = await handedOver(env, { bookedOn: null, name: '未入账厂房' });
    const booked = await handedOver(env, { bookedOn: '2022-06-30', name: '后入账厂房' });
    const now = (await findings(env, ['REGISTERED_NOT_BOOKED'])).map((x) => x.evidence.id);
    expect(now).toContain(asset.id);
    expect(now).not.toContain(booked.asset.id);
    expect((await findings(env, ['REGISTERED_NOT_BOOKED'], '2022-03-31')).map((x) => x.evidence.id)).toContain(booked.asset.id);
  });

  it('HANDED_OVER_WITHOUT_CONFIRMATION: a handover date with no rights confirmation (imported books)', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id, { name: '无确权资产' });
    await assetsRepo.update(env.db, gidNum(asset.id), { handedOverOn: '2022-01-10' });
    const f = (await findings(env, ['HANDED_OVER_WITHOUT_CONFIRMATION'])).filter((x) => x.evidence.id === asset.id);
    expect(f).toMatchObject([{ code: 'HANDED_OVER_WITHOUT_CONFIRMATION', severity: 'HIGH', since: '2022-01-10' }]);
    expect((await findings(env, ['HANDED_OVER_WITHOUT_CONFIRMATION'], '2022-01-09')).filter((x) => x.evidence.id === asset.id)).toEqual([]);
  });

  it('LEASE_WITHOUT_CONTRACT (有租无合同): rent booked against an asset with no contract', async () => {
    const { asset } = await handedOver(env, { name: '无合同出租厂房' });
    const payer = await company(env);
    const inc = await recorded(env, incomeInput(asset.id, payer, { receivedOn: '2025-03-31' }));
    expect(inc.income.contract).toBeNull();
    const f = (await findings(env, ['LEASE_WITHOUT_CONTRACT'])).filter((x) => x.objects.some((o) => o.id === asset.id));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'HIGH', evidence: { id: inc.income.id }, since: '2025-03-31' });
    expect(f[0].message).toContain('12500.00 元');
    expect((await findings(env, ['LEASE_WITHOUT_CONTRACT'], '2025-03-30')).filter((x) => x.objects.some((o) => o.id === asset.id))).toEqual([]);
  });

  it('CONTRACT_EXPIRED_OPEN and LEASE_WITHOUT_CONTRACT: a lease ended in 2023 but the asset still runs', async () => {
    const { asset } = await handedOver(env, { name: '到期租赁厂房' });
    const operator = await company(env, '南江县过期租赁有限公司', '91511922MA6BTEST03');
    const contract = await lease(env, asset.id, operator, { endOn: '2023-12-31' });
    // Signing a contract that has started puts the asset in operation (contracts module).
    const expired = (await findings(env, ['CONTRACT_EXPIRED_OPEN'])).filter((x) => x.evidence.id === contract.id);
    expect(expired).toMatchObject([{ severity: 'MEDIUM', since: '2023-12-31', objects: [{ id: contract.id }, { id: asset.id }] }]);
    const running = (await findings(env, ['LEASE_WITHOUT_CONTRACT'])).filter((x) => x.evidence.id === asset.id);
    expect(running).toHaveLength(1);
    // In 2023 the lease was in force: neither.
    expect((await findings(env, ['CONTRACT_EXPIRED_OPEN', 'LEASE_WITHOUT_CONTRACT'], '2023-06-30')).filter((x) => x.objects.some((o) => o.id === asset.id))).toEqual([]);
  });

  it('CONTRACT_OVERLONG: a 30-year lease over the county\'s 20-year maximum', async () => {
    const { asset } = await handedOver(env, { name: '长期租赁厂房' });
    const operator = await company(env, '南江县长租有限公司', '91511922MA6BTEST04');
    const contract = await lease(env, asset.id, operator, { endOn: '2051-12-31' });
    const f = (await findings(env, ['CONTRACT_OVERLONG'])).filter((x) => x.evidence.id === contract.id);
    expect(f).toMatchObject([{ code: 'CONTRACT_OVERLONG', severity: 'MEDIUM', regionCode: V.chaping }]);
    expect(f[0].message).toContain('360 个月');
  });

  it('OPERATING_WITHOUT_INCOME: in operation since 2022 with no income for more than the idle period', async () => {
    const { asset } = await handedOver(env, { name: '无收益厂房' });
    await signContract(env, asset.id); // self-operated 2022–2031
    const f = (await findings(env, ['OPERATING_WITHOUT_INCOME'])).filter((x) => x.evidence.id === asset.id);
    expect(f).toMatchObject([{ severity: 'MEDIUM', since: '2022-01-01' }]);
    expect(f[0].message).toContain('从未收到收益');
    // Within twelve months of starting it is not idle yet.
    expect((await findings(env, ['OPERATING_WITHOUT_INCOME'], '2022-12-31')).filter((x) => x.evidence.id === asset.id)).toEqual([]);
  });

  it('PUBLIC_WELFARE_WITHOUT_UPKEEP: a village road in use with nobody keeping it', async () => {
    const project = await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '300000.00' }] });
    const road = await registerAsset(env, project.id, { name: '茶坪村通组路', class: 'PUBLIC_WELFARE', subType: 'ROAD', quantity: 3, unit: '公里', originalValue: '300000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '300000.00' }] });
    await step(env, 'rightsConfirm', road.id, '2021-11-10');
    await step(env, 'assetHandOver', road.id, '2021-11-20');
    expect((await step(env, 'assetPutInUse', road.id, '2021-12-01')).errors).toEqual([]);
    const f = (await findings(env, ['PUBLIC_WELFARE_WITHOUT_UPKEEP'])).filter((x) => x.evidence.id === road.id);
    expect(f).toMatchObject([{ severity: 'MEDIUM', regionCode: V.chaping }]);
  });

  it('FUNDS_IDLE: income awaiting distribution since 2024-12-31, past the 12-month limit', async () => {
    await fundVillage(env, V.jintai, 5_000_000, '2024-12-31');
    const f = (await findings(env, ['FUNDS_IDLE'])).filter((x) => x.regionCode === V.jintai);
    expect(f).toMatchObject([{ severity: 'HIGH', since: '2024-12-31' }]);
    expect(f[0].objects.map((o) => o.type)).toEqual(['JournalEntry', 'Party']);
    expect(f[0].message).toContain('50000.00 元');
    expect((await findings(env, ['FUNDS_IDLE'], '2025-12-31')).filter((x) => x.regionCode === V.jintai)).toEqual([]);
  });

  let paidPlan: string;
  let paidHouseholds: string[];
  it('RESULTS_NOTICE_MISSING: every household paid on 2025-02-05, no results notice 30 days later', async () => {
    await fundVillage(env, V.chaping, 20_000_000, '2024-12-31');
    paidHouseholds = await households(env, 3);
    paidPlan = await planAt(env, 'EXECUTED', paidHouseholds);
    for (const [i, h] of paidHouseholds.entries()) {
      await ok(env, 'clerk', PAY, { planId: paidPlan, householdId: h, paidOn: '2025-02-05', bankReference: `NXS-R-${i}`, idempotencyKey: `rpay-${i}` });
    }
    const f = (await findings(env, ['RESULTS_NOTICE_MISSING'])).filter((x) => x.evidence.id === paidPlan);
    expect(f).toMatchObject([{ severity: 'MEDIUM', since: '2025-02-03' }]);
    // On 2025-03-07 the results notice was not yet due (30 days after the last payment).
    expect((await findings(env, ['RESULTS_NOTICE_MISSING'], '2025-03-07')).filter((x) => x.evidence.id === paidPlan)).toEqual([]);
  });

  it('DUPLICATE_PAYMENT: the same household paid again for 2024 by a second plan (imported books)', async () => {
    const plan = (await distributionRepo.findPlan(env.db, gidNum(paidPlan)))!;
    const { id: _id, ...copy } = plan;
    const second = await env.db('distribution_plans')
      .insert({ owner_party_id: copy.ownerPartyId, village_code: copy.villageCode, title: '茶坪村2024年度补充分配', period_from: '2024-07-01', period_to: '2024-12-31',
        plan_on: '2025-03-01', total_fen: 10000, status: 'EXECUTED', created_by: env.userIds.clerk, created_at: env.clock.now(), updated_at: env.clock.now() })
      .returning('id');
    const secondId = second[0].id ?? second[0];
    await env.db('distribution_payments').insert({ plan_id: secondId, household_id: gidNum(paidHouseholds[0]), amount_fen: 10000, paid_on: '2025-03-05', bank_reference: 'NXS-DUP', entry_id: 0, recorded_by: env.userIds.clerk, recorded_at: env.clock.now() });
    const f = (await findings(env, ['DUPLICATE_PAYMENT'])).filter((x) => x.objects.some((o) => o.id === paidHouseholds[0]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'HIGH', evidence: { id: `DistributionPlan:${secondId}` }, since: '2025-03-05' });
    // The other two households were paid once.
    expect((await findings(env, ['DUPLICATE_PAYMENT'])).filter((x) => x.objects.some((o) => o.id === paidHouseholds[1]))).toEqual([]);
  });

  it('TIMELINE_REVERSAL: a contract signed after its lease began; handover before acceptance (imported books)', async () => {
    const { asset } = await handedOver(env, { name: '倒签合同厂房' });
    const operator = await company(env, '南江县倒签有限公司', '91511922MA6BTEST05');
    const contract = await lease(env, asset.id, operator, { signedOn: '2021-12-15', startOn: '2022-01-01' });
    // The legacy version row: signed 2022-03-01 for a term from 2022-01-01.
    await env.db('contract_versions').insert({ contract_id: gidNum(contract.id), version: 99, kind: 'ORIGINAL', signed_on: '2022-03-01', effective_from: '2022-01-01',
      start_on: '2022-01-01', end_on: '2031-12-31', fee_kind: 'NONE', actor_user_id: env.userIds.clerk, recorded_at: env.clock.now() });
    const project = await createProject(env);
    const early = await registerAsset(env, project.id, { name: '先移交后验收', acceptedOn: '2021-11-01' });
    await assetsRepo.update(env.db, gidNum(early.id), { handedOverOn: '2021-10-15' });
    const f = await findings(env, ['TIMELINE_REVERSAL']);
    expect(f.filter((x) => x.evidence.id === contract.id)).toHaveLength(1);
    expect(f.find((x) => x.evidence.id === contract.id)!.message).toContain('2022-03-01');
    expect(f.find((x) => x.evidence.id === early.id)!.message).toContain('移交 2021-10-15 早于验收 2021-11-01');
    void contractsRepo;
  });
});

describe('audit findings: a clean register produces none', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it('a matched, booked, confirmed, contracted, earning asset, a kept road and a distributed, published plan: no finding of any class', async () => {
    const { asset } = await handedOver(env);
    const operator = await company(env);
    await lease(env, asset.id, operator);
    await recorded(env, incomeInput(asset.id, operator, { receivedOn: '2026-09-30' }));
    const project = await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '300000.00' }] });
    const road = await registerAsset(env, project.id, { name: '茶坪村通组路', class: 'PUBLIC_WELFARE', subType: 'ROAD', quantity: 3, unit: '公里', originalValue: '300000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '300000.00' }] });
    await step(env, 'rightsConfirm', road.id, '2021-11-10');
    await step(env, 'assetHandOver', road.id, '2021-11-20');
    await step(env, 'assetPutInUse', road.id, '2021-12-01');
    const keep = await env.gql('clerk', `mutation($input: UpkeepAssignInput!) { upkeepAssign(input: $input) { errors { code } } }`, {
      input: { assetId: road.id, body: { villageCode: V.chaping }, personName: '王护路', personRole: '公益性岗位护路员', fundSource: 'VILLAGE_OPERATING_FUNDS', effectiveFrom: '2021-12-01' },
    });
    expect(keep.data.upkeepAssign.errors).toEqual([]);
    await fundVillage(env, V.chaping, 20_000_000, '2024-12-31');
    const hs = await households(env, 3);
    const planId = await planAt(env, 'EXECUTED', hs);
    for (const [i, h] of hs.entries()) await ok(env, 'clerk', PAY, { planId, householdId: h, paidOn: '2025-02-05', bankReference: `NXS-C-${i}`, idempotencyKey: `cpay-${i}` });
    await ok(env, 'clerk', RESULTS, { planId, startOn: '2025-02-10' });

    // The 2026 rent waits for the 2026 plan, within the 12-month limit: not idle.
    expect(await findings(env, null)).toEqual([]);
    expect(await findings(env, null, '2026-10-31')).toEqual([]);
  });
});
