/**
 * Pledges of a venture stake (股权质押), issue 11 rule 21: a village collective pledges its stake in a pooled
 * venture through assetPledge (ventureMemberId), approved on a chain; while it stands, the member cannot
 * withdraw and the venture cannot be dissolved (the bundles module's stake guard, registered by disposal);
 * released, both are possible again. Each rejection writes nothing; roles and scopes.
 */
import { setup, snapshot, TestEnv } from './helpers';
import { company } from './journal.fixtures';
import { BUNDLE_DISSOLVE, BUNDLE_QUERY, BUNDLE_TABLES, BUNDLE_WITHDRAW, cashContribution, contributed, createBundle, giveCash } from './bundles.helpers';
import { decideInput, DISPOSAL_TABLES, gqlOk, M } from './disposal.helpers';
import type { TokenName } from './helpers';
import { V, YUNDING } from '../seeds/demo-data';

let env: TestEnv;
let bank: number;
let bundle: any;
let chapingMember: string;
let jintaiMember: string;
const TABLES = [...new Set([...DISPOSAL_TABLES, ...BUNDLE_TABLES])];

beforeAll(async () => {
  env = await setup();
  bank = await company(env, '四川南江农村商业银行股份有限公司');
  await giveCash(env, V.chaping, 50_000_000);
  await giveCash(env, V.jintai, 50_000_000);
  bundle = await createBundle(env, { name: '南江县云顶茶旅股份联营公司' });
  await contributed(env, 'clerk', cashContribution(bundle.id, V.chaping, '300000.00', '2025-03-01'));
  await contributed(env, 'otherClerk', cashContribution(bundle.id, V.jintai, '200000.00', '2025-03-01'));
  const b = (await env.gql('planner', BUNDLE_QUERY, { id: bundle.id })).data.bundle;
  chapingMember = b.members.find((m: any) => m.village.code === V.chaping).id;
  jintaiMember = b.members.find((m: any) => m.village.code === V.jintai).id;
});
afterAll(() => env.close());

const PLEDGE = `mutation($input: AssetPledgeInput!) { assetPledge(input: $input) {
  pledge { id status subjectKind kind loan contractNo pledgedOn approvedOn releasedOn asset { id }
           ventureMember { id village { code } bundle { id } }
           chain { id template status steps { kind region { code } } } }
  errors { code field message } } }`;

let n = 0;
const stakeInput = (ventureMemberId: string, overrides: Record<string, unknown> = {}) => ({
  ventureMemberId,
  kind: 'PLEDGE',
  pledgee: { partyId: `Party:${bank}` },
  loan: '150000.00',
  loanPurpose: '茶旅项目设备购置贷款',
  contractNo: `NJNS-ZY-2026-${++n}`,
  pledgedOn: '2026-02-01',
  endOn: '2028-01-31',
  ...overrides,
});

async function refused(token: TokenName, query: string, input: Record<string, unknown>, field: string, code: string) {
  const before = await snapshot(env.db, TABLES);
  const body = await env.gql(token, query, { input });
  const errors = body.data?.[field]?.errors ?? body.errors;
  expect(errors?.map((e: { code?: string; extensions?: { code?: string } }) => e.code ?? e.extensions?.code)).toContain(code);
  expect(await snapshot(env.db, TABLES)).toEqual(before);
  return body;
}

const DECIDER: Record<string, TokenName> = { VILLAGE_RESOLUTION: 'clerk', TOWNSHIP: 'reviewer', COUNTY_FINANCE: 'finance' };
async function approveChain(chainId: string, from: number, villageClerk: TokenName = 'clerk', month = '2026-02') {
  const q = await env.gql('admin', `query($id: ID!) { approvalChain(id: $id) { steps { kind decision { decision } } } }`, { id: chainId });
  let day = from;
  for (const s of q.data.approvalChain.steps.filter((x: any) => !x.decision)) {
    const { disposalId: _x, ...rest } = decideInput('x', s.kind, `${month}-${String(day++).padStart(2, '0')}`);
    const token = s.kind === 'VILLAGE_RESOLUTION' ? villageClerk : DECIDER[s.kind];
    const body = await env.gql(token, M.approvalDecide, { input: { ...rest, chainId } });
    expect(body.data.approvalDecide.errors).toEqual([]);
  }
}

describe('a pledge of 茶坪村\'s stake in the venture', () => {
  let pledge: any;

  it('refuses an input naming both an asset and a stake, or neither', async () => {
    await refused('clerk', PLEDGE, { ...stakeInput(chapingMember), assetId: 'Asset:1' }, 'assetPledge', 'INVALID_INPUT');
    const { ventureMemberId: _v, ...neither } = stakeInput(chapingMember);
    await refused('clerk', PLEDGE, neither, 'assetPledge', 'INVALID_INPUT');
  });

  it('refuses a date before the village joined, and one in the future', async () => {
    await refused('clerk', PLEDGE, stakeInput(chapingMember, { pledgedOn: '2025-02-01' }), 'assetPledge', 'DATE_ORDER');
    await refused('clerk', PLEDGE, stakeInput(chapingMember, { pledgedOn: '2027-02-01', endOn: '2028-01-31' }), 'assetPledge', 'DATE_IN_FUTURE');
  });

  it('roles and scope: only the member village\'s clerk (or admin) pledges its stake', async () => {
    for (const token of ['finance', 'planner', 'reviewer'] as TokenName[]) {
      await refused(token, PLEDGE, stakeInput(chapingMember), 'assetPledge', 'FORBIDDEN');
    }
    // 金台村's clerk sees the venture but not 茶坪村's books: the stake is not in its scope.
    await refused('otherClerk', PLEDGE, stakeInput(chapingMember), 'assetPledge', 'NOT_FOUND');
    await refused('liangyaClerk', PLEDGE, stakeInput(chapingMember), 'assetPledge', 'NOT_FOUND');
    await refused('clerk', PLEDGE, stakeInput('BundleMember:999999'), 'assetPledge', 'NOT_FOUND');
  });

  it('records the pledge PENDING on a chain: the village resolution, the township, county finance; no asset is held', async () => {
    const holdsBefore = await env.db('asset_holds').count({ n: '*' }).first();
    const p = await gqlOk(env, 'clerk', PLEDGE, stakeInput(chapingMember), 'assetPledge');
    pledge = p.pledge;
    expect(pledge).toMatchObject({
      status: 'PENDING',
      subjectKind: 'VENTURE_STAKE',
      kind: 'PLEDGE',
      loan: '150000.00',
      asset: null,
      ventureMember: { id: chapingMember, village: { code: V.chaping }, bundle: { id: bundle.id } },
      chain: { template: 'PLEDGE_VENTURE_STAKE', status: 'PENDING' },
    });
    expect(pledge.chain.steps.map((s: any) => [s.kind, s.region.code])).toEqual([
      ['VILLAGE_RESOLUTION', V.chaping],
      ['TOWNSHIP', YUNDING],
      ['COUNTY_FINANCE', '511922000000'],
    ]);
    const row = await env.db('asset_pledges').where({ id: Number(pledge.id.split(':')[1]) }).first();
    expect(row).toMatchObject({ subject_kind: 'VENTURE_STAKE', asset_id: null, village_code: V.chaping, status: 'PENDING' });
    expect(await env.db('asset_holds').count({ n: '*' }).first()).toEqual(holdsBefore);
    const chain = await env.db('approval_chains').where({ id: row.chain_id }).first();
    expect(chain).toMatchObject({ purpose: 'PLEDGE', subject_type: 'AssetPledge', subject_id: row.id });
  });

  it('while pending: the member cannot withdraw, the venture cannot be dissolved, the stake is not pledged twice', async () => {
    const w = await refused('clerk', BUNDLE_WITHDRAW, { bundleId: bundle.id, villageCode: V.chaping, withdrawnOn: '2026-02-02', reason: '调整产业' }, 'bundleWithdraw', 'STAKE_PLEDGED');
    expect(w.data.bundleWithdraw.errors[0].message).toContain(pledge.contractNo);
    const d = await refused('reviewer', BUNDLE_DISSOLVE, { bundleId: bundle.id, dissolvedOn: '2026-02-02', reason: '协议到期' }, 'bundleDissolve', 'STAKE_PLEDGED');
    expect(d.data.bundleDissolve.errors[0].message).toMatch(new RegExp(`#${pledge.id.split(':')[1]}`));
    await refused('clerk', PLEDGE, stakeInput(chapingMember, { pledgedOn: '2026-02-03' }), 'assetPledge', 'STAKE_PLEDGED');
  });

  it('approved on its chain it is ACTIVE, and still binds the stake; the member lists it', async () => {
    await approveChain(pledge.chain.id, 5);
    const q = await env.gql('clerk', `query($id: ID!) { assetPledge(id: $id) { status approvedOn } }`, { id: pledge.id });
    expect(q.data.assetPledge).toEqual({ status: 'ACTIVE', approvedOn: '2026-02-07' });
    await refused('clerk', BUNDLE_WITHDRAW, { bundleId: bundle.id, villageCode: V.chaping, withdrawnOn: '2026-03-01', reason: '调整产业' }, 'bundleWithdraw', 'STAKE_PLEDGED');
    await refused('reviewer', BUNDLE_DISSOLVE, { bundleId: bundle.id, dissolvedOn: '2026-03-01', reason: '协议到期' }, 'bundleDissolve', 'STAKE_PLEDGED');
    const m = await env.gql('planner', `query($id: ID!) { bundle(id: $id) { members { village { code } pledges { id status subjectKind } } } }`, { id: bundle.id });
    const byVillage = Object.fromEntries(m.data.bundle.members.map((x: any) => [x.village.code, x.pledges]));
    expect(byVillage[V.chaping]).toEqual([{ id: pledge.id, status: 'ACTIVE', subjectKind: 'VENTURE_STAKE' }]);
    expect(byVillage[V.jintai]).toEqual([]);
  });

  it('another member may still withdraw (only the pledged stake is bound); its stake then cannot be pledged', async () => {
    const w = await gqlOk(env, 'otherClerk', BUNDLE_WITHDRAW, { bundleId: bundle.id, villageCode: V.jintai, withdrawnOn: '2026-03-01', reason: '调整产业' }, 'bundleWithdraw');
    await refused('otherClerk', PLEDGE, stakeInput(jintaiMember, { pledgedOn: '2026-03-02' }), 'assetPledge', 'ILLEGAL_TRANSITION');
    await approveChain(w.approval.id, 10, 'otherClerk', '2026-03');
    const b = (await env.gql('planner', BUNDLE_QUERY, { id: bundle.id })).data.bundle;
    expect(b.members.find((m: any) => m.village.code === V.jintai).status).toBe('WITHDRAWN');
    await refused('otherClerk', PLEDGE, stakeInput(jintaiMember, { pledgedOn: '2026-03-02' }), 'assetPledge', 'ILLEGAL_TRANSITION');
  });

  it('released (the loan repaid), the member may withdraw and the venture be dissolved', async () => {
    await refused('otherClerk', M.pledgeRelease, { pledgeId: pledge.id, releasedOn: '2026-04-01', reason: '贷款结清' }, 'assetPledgeRelease', 'NOT_FOUND');
    const rel = await gqlOk(env, 'clerk', M.pledgeRelease, { pledgeId: pledge.id, releasedOn: '2026-04-01', reason: '贷款结清' }, 'assetPledgeRelease');
    expect(rel.pledge).toMatchObject({ status: 'RELEASED', releasedOn: '2026-04-01', asset: null });
    const d = await env.gql('reviewer', BUNDLE_DISSOLVE, { input: { bundleId: bundle.id, dissolvedOn: '2026-04-02', reason: '协议到期' } });
    expect(d.data.bundleDissolve).toMatchObject({ bundle: { status: 'DISSOLVED' }, errors: [] });
    // A dissolved venture's stake is nothing to pledge.
    await refused('clerk', PLEDGE, stakeInput(chapingMember, { pledgedOn: '2026-04-03' }), 'assetPledge', 'ILLEGAL_TRANSITION');
  });
});
