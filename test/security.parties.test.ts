/**
 * Issue 8, item 2: writes that create or name parties stay inside the actor's scope. A clerk registers
 * parties of its own village only; another village's collective is never created as a side effect.
 */
import { setup, TestEnv, TokenName, snapshot } from './helpers';
import { createProject, registerAsset, step } from './fixtures';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { V, YUNDING } from '../seeds/demo-data';

let env: TestEnv;
let asset: { id: string };
/** A village of 云顶镇 with no collective registered yet. */
const NEW_VILLAGE = '511922105099';

const REGISTER = `mutation($input: PartyRegisterInput!) { partyRegister(input: $input) { party { id } errors { code field } } }`;
const ASSIGN = `mutation($input: UpkeepAssignInput!) { upkeepAssign(input: $input) { upkeepAssignment { id } errors { code field } } }`;
const TABLES = ['parties', 'audit_log', 'upkeep_assignments', 'asset_events'];

beforeAll(async () => {
  env = await setup();
  await insertRegions(env.db, [{ code: NEW_VILLAGE, name: '新建村', level: 'VILLAGE', parentCode: YUNDING }]);
  const project = await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '9000.00' }] });
  asset = await registerAsset(env, project.id, { class: 'PUBLIC_WELFARE', subType: 'DRINKING_WATER', originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }] });
  await step(env, 'rightsConfirm', asset.id, '2021-11-10');
});
afterAll(() => env.close());

const company = (regionCode: string, n: number) => ({ kind: 'INDIVIDUAL', name: `某人${n}`, regionCode });

describe('partyRegister stays inside the actor scope', () => {
  // [who, region, outcome]: every region above or beside the actor's is refused with INVALID_REGION.
  const cases: [TokenName, string, 'ok' | 'INVALID_REGION'][] = [
    ['clerk', V.chaping, 'ok'],
    ['clerk', YUNDING, 'INVALID_REGION'],
    ['clerk', '511922000000', 'INVALID_REGION'],
    ['clerk', '510000000000', 'INVALID_REGION'],
    ['clerk', V.jintai, 'INVALID_REGION'],
    ['clerk', NEW_VILLAGE, 'INVALID_REGION'],
    ['clerk', '510823100201', 'INVALID_REGION'],
    ['otherClerk', V.chaping, 'INVALID_REGION'],
    ['liangyaClerk', '510823000000', 'INVALID_REGION'],
    ['planner', '511922000000', 'ok'],
    ['planner', '510000000000', 'INVALID_REGION'],
    ['planner', '510823000000', 'INVALID_REGION'],
  ];
  it.each(cases.map((c, i) => [...c, i] as const))('%s registering in %s: %s', async (token, region, outcome, i) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(token, REGISTER, { input: company(region, i) });
    if (outcome === 'ok') return expect(body.data.partyRegister.errors).toEqual([]);
    expect(body.data.partyRegister.errors[0]).toMatchObject({ code: outcome, field: ['input', 'regionCode'] });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('naming another village does not create its collective', () => {
  const assign = (body: Record<string, unknown>) => ({
    assetId: asset.id, body, personName: '陈有才', personRole: '管水员', fundSource: 'VILLAGE_OPERATING_FUNDS', effectiveFrom: '2021-12-01',
  });
  it.each([
    ['a village with no collective yet', { villageCode: NEW_VILLAGE }, 'INVALID_REGION'],
    ['another village\'s collective', { villageCode: V.jintai }, 'INVALID_REGION'],
  ] as const)('upkeepAssign naming %s is refused and writes nothing', async (_l, body, code) => {
    const before = await snapshot(env.db, TABLES);
    const res = await env.gql('clerk', ASSIGN, { input: assign(body) });
    expect(res.data.upkeepAssign.errors[0].code).toBe(code);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    expect(await env.db('parties').where({ region_code: NEW_VILLAGE }).first()).toBeUndefined();
  });

  it('the village itself, or the county above it, may bring the collective into being', async () => {
    const res = await env.gql('planner', REGISTER, { input: { kind: 'VILLAGE_COLLECTIVE', name: '新建村股份经济合作社', regionCode: NEW_VILLAGE } });
    expect(res.data.partyRegister.errors).toEqual([]);
  });

  it('the clerk still names its own collective', async () => {
    const res = await env.gql('clerk', ASSIGN, { input: assign({ villageCode: V.chaping }) });
    expect(res.data.upkeepAssign.errors).toEqual([]);
  });
});
