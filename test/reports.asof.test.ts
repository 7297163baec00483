/**
 * The register as of a date (issue 14): an asset's status, owners, holds, contracts, keeper and values as they
 * stood on a date, from its events and dated records; today's answer equals the live card. And the role
 * matrix of the reports: county finance and planners see their county, township reviewers their township,
 * clerks their village; everything outside reads as null.
 */
import { setup, TestEnv, TokenName, TOKENS } from './helpers';
import { createProject, registerAsset, STEP, confirmInput, handOverInput } from './fixtures';
import { lease } from './income.helpers';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { V } from '../seeds/demo-data';
import { prefixOf } from '../src/modules/regions/regions.codes';

let env: TestEnv;
let assetId: string;
let contractId: string;
beforeAll(async () => {
  env = await setup();
  const project = await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '600000.00' }] });
  assetId = (await registerAsset(env, project.id, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '600000.00' }] })).id; // accepted 2021-11-01, booked 2021-12-01
  await env.gql('clerk', STEP('rightsConfirm'), { input: confirmInput(assetId, '2021-11-10') });
  await env.gql('clerk', STEP('assetHandOver'), { input: handOverInput(assetId, '2021-11-20') });
  const operator = await partiesRepo.insert(env.db, { kind: 'COMPANY', name: '南江县茶业有限公司', regionCode: '511922000000', creditCode: '91511922MA6BASOF1', createdAt: env.clock.now() });
  contractId = (await lease(env, assetId, operator)).id; // 2022-01-01 … 2031-12-31
  const keep = await env.gql('clerk', `mutation($input: UpkeepAssignInput!) { upkeepAssign(input: $input) { errors { code } } }`, {
    input: { assetId, body: { villageCode: V.chaping }, personName: '李管护', fundSource: 'VILLAGE_OPERATING_FUNDS', effectiveFrom: '2022-01-01' },
  });
  expect(keep.data.upkeepAssign.errors).toEqual([]);
});
afterAll(() => env.close());

const STATE = `status owners { party { name } shareBp effectiveFrom } holds { kind holderId startOn endOn } contracts { id contractNo }
  keeper { personName effectiveFrom } originalValue accumulatedDepreciation bookValue`;
const CARD = `query($id: ID!, $d: Date!) { asset(id: $id) {
  status owners { party { name } shareBp effectiveFrom } holds: holdsOn { kind holderId startOn endOn } currentContract { id contractNo }
  upkeep { personName effectiveFrom } originalValue accumulatedDepreciation bookValue
  asOf(date: $d) { date onRegister rightsLevel ${STATE} } } }`;

describe('asset as of a date', () => {
  it("today's answer equals the live card", async () => {
    const a = (await env.gql('finance', CARD, { id: assetId, d: env.clock.today() })).data.asset;
    const on = a.asOf;
    expect(on).toMatchObject({ date: '2026-11-22', onRegister: true, rightsLevel: 'VILLAGE' });
    expect(on.status).toBe(a.status);
    expect(a.status).toBe('IN_OPERATION');
    expect(on.owners).toEqual(a.owners);
    expect(on.holds).toEqual(a.holds);
    expect(on.contracts).toEqual([a.currentContract]);
    expect(on.keeper).toEqual(a.upkeep);
    expect([on.originalValue, on.accumulatedDepreciation, on.bookValue]).toEqual([a.originalValue, a.accumulatedDepreciation, a.bookValue]);
    // Booked 2021-12-01, as of 2026-11-22: 58 complete months of 2 375.00 (600 000.00 × 95% ÷ 240).
    expect([a.accumulatedDepreciation, a.bookValue]).toEqual(['137750.00', '462250.00']);
  });

  it.each([
    ['2021-10-31', { onRegister: false, status: 'REGISTERED', rightsLevel: null, owners: [], holds: [], contracts: [], keeper: null, accumulatedDepreciation: '0.00' }],
    ['2021-11-05', { onRegister: true, status: 'REGISTERED', rightsLevel: null, owners: [], holds: [], contracts: [], keeper: null }],
    ['2021-11-15', { status: 'CONFIRMED', rightsLevel: 'VILLAGE', owners: [{ party: { name: '茶坪村股份经济合作社' }, shareBp: 10000, effectiveFrom: '2021-11-10' }], contracts: [], keeper: null }],
    ['2021-12-31', { status: 'HANDED_OVER', holds: [], contracts: [], accumulatedDepreciation: '0.00', bookValue: '600000.00' }],
    ['2022-01-31', { status: 'IN_OPERATION', keeper: { personName: '李管护', effectiveFrom: '2022-01-01' }, accumulatedDepreciation: '2375.00', bookValue: '597625.00' }],
  ])('as of %s', async (d, expected) => {
    const on = (await env.gql('finance', CARD, { id: assetId, d })).data.asset.asOf;
    expect(on).toMatchObject(expected);
    if (d === '2022-01-31') expect(on.contracts.map((c: any) => c.id)).toEqual([contractId]);
  });

  it('refuses a date in the future', async () => {
    const body = await env.gql('finance', CARD, { id: assetId, d: '2027-01-01' });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('assets(filter, asOf): the register on a date', () => {
  const LIST = `query($f: AssetFilter, $d: Date) { assets(filter: $f, asOf: $d) { totalCount nodes { id } } }`;
  it('today lists what the live register lists; earlier dates list what had formed, by status then', async () => {
    const live = (await env.gql('finance', LIST, {})).data.assets;
    expect((await env.gql('finance', LIST, { d: '2026-11-22' })).data.assets).toEqual(live);
    expect((await env.gql('finance', LIST, { d: '2021-10-31' })).data.assets).toEqual({ totalCount: 0, nodes: [] });
    expect((await env.gql('finance', LIST, { d: '2021-11-15', f: { status: 'CONFIRMED' } })).data.assets.nodes).toEqual([{ id: assetId }]);
    expect((await env.gql('finance', LIST, { d: '2021-11-15', f: { status: 'IN_OPERATION' } })).data.assets.nodes).toEqual([]);
    expect((await env.gql('finance', LIST, { d: '2026-11-22', f: { status: 'IN_OPERATION' } })).data.assets.nodes).toEqual([{ id: assetId }]);
  });
});

describe('reports role matrix: who sees which region', () => {
  const REGIONS = {
    chaping: V.chaping,
    jintai: V.jintai,
    yunding: '511922105000',
    changchi: '511922102000',
    nanjiang: '511922000000',
    jiange: '510823000000',
    sichuan: '510000000000',
  } as const;
  const SEES: Record<TokenName, (keyof typeof REGIONS)[]> = {
    admin: ['chaping', 'jintai', 'yunding', 'changchi', 'nanjiang', 'jiange', 'sichuan'],
    finance: ['chaping', 'jintai', 'yunding', 'changchi', 'nanjiang'],
    planner: ['chaping', 'jintai', 'yunding', 'changchi', 'nanjiang'],
    reviewer: ['chaping', 'jintai', 'yunding'],
    otherReviewer: ['changchi'],
    clerk: ['chaping'],
    otherClerk: ['jintai'],
    liangyaClerk: [],
    jiangeFinance: ['jiange'],
  };
  const cases = (Object.keys(TOKENS) as TokenName[]).flatMap((who) =>
    (Object.keys(REGIONS) as (keyof typeof REGIONS)[]).map((r) => [who, r, SEES[who].includes(r)] as const),
  );
  const Q = `query($r: String!) { registerSummary(regionCode: $r) { total { assetCount originalValue } } auditFindings(regionCode: $r) { code } }`;
  it.each(cases)('%s reading %s: visible=%s', async (who, region, visible) => {
    const body = await env.gql(who, Q, { r: REGIONS[region] });
    expect(body.errors).toBeUndefined();
    if (!visible) {
      expect(body.data).toEqual({ registerSummary: null, auditFindings: null });
      return;
    }
    // The one asset lies in 茶坪村: regions containing it show it, the others show zero.
    const inIt = V.chaping.startsWith(prefixOf(REGIONS[region]));
    expect(body.data.registerSummary.total).toEqual(inIt ? { assetCount: 1, originalValue: '600000.00' } : { assetCount: 0, originalValue: '0.00' });
    expect(Array.isArray(body.data.auditFindings)).toBe(true);
  });
  it('without a token: UNAUTHENTICATED', async () => {
    const body = await env.gql(null, Q, { r: REGIONS.nanjiang });
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
