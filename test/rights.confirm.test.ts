import { setup, TestEnv, snapshot, gidNum, count } from './helpers';
import { confirmInput, createProject, handOverInput, HOUSEHOLD_REGISTER, householdInput, registerAsset, step } from './fixtures';
import { ownersOn } from '../src/modules/rights/rights.service';
import { V, YUNDING } from '../seeds/demo-data';
import { withCheck } from '../seeds/demo-rights';
import type { TokenName } from './helpers';

const CONFIRM = `mutation($input: RightsConfirmInput!) {
  rightsConfirm(input: $input) {
    asset { id status owners { party { name kind } shareBp sharePercent effectiveFrom effectiveTo } rights { kind rightsLevel certificateNo effectiveOn } }
    rightsConfirmation { id kind rightsLevel certificateNo effectiveOn owners { party { name } shareBp } }
    errors { code field message }
  }
}`;
const CHANGE = `mutation($input: RightsChangeInput!) {
  rightsChange(input: $input) {
    rightsConfirmation { kind certificateNo approval { reference approvedBy approvedOn } owners { party { name } shareBp } }
    approvalChain { id status purpose steps { seq kind role region { code } } }
    errors { code field message }
  }
}`;
const DECIDE = `mutation($input: ApprovalDecideInput!) {
  approvalDecide(input: $input) { chain { status nextStep { kind } } errors { code field message } }
}`;
const meeting = (heldOn: string) => ({ heldOn, memberCount: 30, attendance: 24, votesFor: 20 });
/** Decides a chain's next step as `who`: a village resolution with its meeting, or an officer's approval. */
async function decide(env: TestEnv, who: TokenName, chainId: string, on: string, extra: Record<string, unknown> = {}) {
  const resolution = who === 'clerk' || who === 'otherClerk';
  return env.gql(who, DECIDE, {
    input: { chainId, decision: 'APPROVE', decidedOn: on, reference: `决议-${who}`, ...(resolution ? { meeting: meeting(on) } : {}), ...extra },
  });
}
const HAND_OVER = `mutation($input: AssetHandOverInput!) {
  assetHandOver(input: $input) {
    asset { id status handedOverOn bookedOn handoverDeed { deedNo handedOverOn transferor witness recipientSignatory recipient { name } } }
    handoverDeed { deedNo recipient { name } }
    errors { code field message }
  }
}`;
const REGISTER_PARTY = `mutation($input: PartyRegisterInput!) { partyRegister(input: $input) { party { id } errors { code } } }`;

const TABLES = ['rights_confirmations', 'asset_owners', 'handover_deeds', 'asset_events', 'parties'];

let env: TestEnv;
let projectId: string;
let householdIds: string[] = [];
let jinTaiHousehold: string;
let companyId: string;
let coopId: string;
let individualId: string;
let townshipId: string;
let changchiId: string;
beforeAll(async () => {
  env = await setup();
  projectId = (await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '9000000.00' }] })).id;
  householdIds = [];
  for (let i = 0; i < 3; i++) {
    householdIds.push((await env.gql('clerk', HOUSEHOLD_REGISTER, { input: householdInput(i) })).data.householdRegister.household.id);
  }
  jinTaiHousehold = (await env.gql('otherClerk', HOUSEHOLD_REGISTER, { input: householdInput(9, { villageCode: V.jintai }) })).data
    .householdRegister.household.id;
  const party = async (input: object, token: TokenName = 'clerk') =>
    (await env.gql(token, REGISTER_PARTY, { input })).data.partyRegister.party.id as string;
  companyId = await party({ kind: 'COMPANY', name: '南江县云顶农业发展有限公司', regionCode: '511922000000', creditCode: withCheck('91511922MA6BQ8W21') }, 'planner');
  coopId = await party({ kind: 'COOPERATIVE', name: '茶坪村茶叶专业合作社', regionCode: V.chaping, creditCode: withCheck('93511922MA6C1P4R8') });
  individualId = await party({ kind: 'INDIVIDUAL', name: '罗建国', regionCode: V.chaping });
  townshipId = await party({ kind: 'TOWNSHIP', name: '云顶镇人民政府', regionCode: YUNDING }, 'planner');
  changchiId = await party({ kind: 'TOWNSHIP', name: '长赤镇人民政府', regionCode: '511922102000' }, 'admin');
});
afterAll(() => env.close());

const money = { originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }] };
const newAsset = (overrides: Record<string, unknown> = {}) => registerAsset(env, projectId, { ...money, ...overrides });
const PUBLIC = { class: 'PUBLIC_WELFARE', subType: 'ROAD' };
const HOUSEHOLD = { class: 'HOUSEHOLD', subType: 'GREENHOUSE' };

describe('rightsConfirm', () => {
  it('confirms joint ownership by two village collectives, with shares, certificate and event', async () => {
    const asset = await newAsset();
    const body = await env.gql('clerk', CONFIRM, {
      input: confirmInput(asset.id, '2021-11-10', {
        owners: [
          { villageCode: V.chaping, shareBp: 6667 },
          { villageCode: V.jintai, shareBp: 3333 },
        ],
        certificateNo: '南江资确〔2021〕0100号',
      }),
    });
    const { asset: a, rightsConfirmation: rc, errors } = body.data.rightsConfirm;
    expect(errors).toEqual([]);
    expect(a.status).toBe('CONFIRMED');
    expect(a.owners).toEqual([
      { party: { name: '茶坪村股份经济合作社', kind: 'VILLAGE_COLLECTIVE' }, shareBp: 6667, sharePercent: '66.67', effectiveFrom: '2021-11-10', effectiveTo: null },
      { party: { name: '金台村股份经济合作社', kind: 'VILLAGE_COLLECTIVE' }, shareBp: 3333, sharePercent: '33.33', effectiveFrom: '2021-11-10', effectiveTo: null },
    ]);
    expect(a.rights).toEqual({ kind: 'CONFIRMATION', rightsLevel: 'VILLAGE', certificateNo: '南江资确〔2021〕0100号', effectiveOn: '2021-11-10' });
    expect(rc.owners.map((o: any) => o.shareBp)).toEqual([6667, 3333]);

    const id = gidNum(asset.id);
    const rows = await env.db('asset_owners').where({ asset_id: id }).orderBy('id');
    expect(rows.map((r: any) => [r.share_bp, r.effective_from, r.effective_to])).toEqual([
      [6667, '2021-11-10', null],
      [3333, '2021-11-10', null],
    ]);
    const conf = await env.db('rights_confirmations').where({ asset_id: id });
    expect(conf).toHaveLength(1);
    expect(conf[0]).toMatchObject({ kind: 'CONFIRMATION', rights_level: 'VILLAGE', certificate_no: '南江资确〔2021〕0100号', actor_user_id: env.userIds.clerk });
    const ev = await env.db('asset_events').where({ asset_id: id, action: 'CONFIRM_RIGHTS' }).first();
    expect(ev).toMatchObject({ from_status: 'REGISTERED', to_status: 'CONFIRMED', effective_on: '2021-11-10' });
    expect(JSON.parse(ev.payload)).toMatchObject({ rightsLevel: 'VILLAGE', owners: [{ shareBp: 6667 }, { shareBp: 3333 }] });

    // ownersOn: what the journal splits income by.
    expect(await ownersOn(env.db, id, '2021-11-09')).toEqual([]);
    const on = await ownersOn(env.db, id, '2021-11-10');
    expect(on.map((o) => o.shareBp)).toEqual([6667, 3333]);
    expect(on.reduce((s, o) => s + o.shareBp, 0)).toBe(10000);
  });

  it('confirms a household asset to households and a public-welfare asset to the township', async () => {
    const greenhouse = await newAsset(HOUSEHOLD);
    const h = await env.gql('clerk', CONFIRM, {
      input: confirmInput(greenhouse.id, '2021-11-10', {
        rightsLevel: 'HOUSEHOLD',
        owners: [
          { householdId: householdIds[0], shareBp: 5000 },
          { householdId: householdIds[1], shareBp: 5000 },
        ],
      }),
    });
    expect(h.data.rightsConfirm.errors).toEqual([]);
    expect(h.data.rightsConfirm.asset.owners.map((o: any) => o.party)).toEqual([
      { name: '测试户0户', kind: 'HOUSEHOLD' },
      { name: '测试户1户', kind: 'HOUSEHOLD' },
    ]);
    const road = await newAsset(PUBLIC);
    const t = await env.gql('clerk', CONFIRM, {
      input: confirmInput(road.id, '2021-11-10', { rightsLevel: 'TOWNSHIP', owners: [{ partyId: townshipId, shareBp: 10000 }] }),
    });
    expect(t.data.rightsConfirm.errors).toEqual([]);
    expect(t.data.rightsConfirm.asset.owners[0].party).toEqual({ name: '云顶镇人民政府', kind: 'TOWNSHIP' });
  });

  type Case = [string, Record<string, unknown>, Record<string, unknown>, string, string[]];
  const cases = (): Case[] => [
    ['shares adding up to 9999', {}, { owners: [{ villageCode: V.chaping, shareBp: 6666 }, { villageCode: V.jintai, shareBp: 3333 }] }, 'SHARES_NOT_100', ['input', 'owners']],
    ['shares adding up to 10001', {}, { owners: [{ villageCode: V.chaping, shareBp: 6668 }, { villageCode: V.jintai, shareBp: 3333 }] }, 'SHARES_NOT_100', ['input', 'owners']],
    ['a zero share', {}, { owners: [{ villageCode: V.chaping, shareBp: 10000 }, { villageCode: V.jintai, shareBp: 0 }] }, 'OUT_OF_RANGE', ['input', 'owners', '1', 'shareBp']],
    ['a negative share', {}, { owners: [{ villageCode: V.chaping, shareBp: 5000 }, { villageCode: V.jintai, shareBp: -1 }] }, 'OUT_OF_RANGE', ['input', 'owners', '1', 'shareBp']],
    ['no owner', {}, { owners: [] }, 'REQUIRED', ['input', 'owners']],
    ['the same owner twice', {}, { owners: [{ villageCode: V.chaping, shareBp: 5000 }, { villageCode: V.chaping, shareBp: 5000 }] }, 'DUPLICATE', ['input', 'owners', '1']],
    ['a company as owner', {}, { owners: [{ partyId: companyId, shareBp: 10000 }] }, 'OWNER_NOT_ALLOWED', ['input', 'owners', '0']],
    ['a cooperative as owner', {}, { owners: [{ partyId: coopId, shareBp: 10000 }] }, 'OWNER_NOT_ALLOWED', ['input', 'owners', '0']],
    ['an individual as owner', {}, { owners: [{ partyId: individualId, shareBp: 10000 }] }, 'OWNER_NOT_ALLOWED', ['input', 'owners', '0']],
    ['a household owning a public-welfare asset', PUBLIC, { rightsLevel: 'HOUSEHOLD', owners: [{ householdId: householdIds[0], shareBp: 10000 }] }, 'OWNER_NOT_ALLOWED', ['input', 'owners', '0']],
    ['a collective owning a household asset', HOUSEHOLD, {}, 'OWNER_NOT_ALLOWED', ['input', 'owners', '0']],
    ['a household level with a collective', {}, { rightsLevel: 'HOUSEHOLD' }, 'RIGHTS_LEVEL_MISMATCH', ['input', 'rightsLevel']],
    ['a county level with a collective', {}, { rightsLevel: 'COUNTY' }, 'RIGHTS_LEVEL_MISMATCH', ['input', 'rightsLevel']],
    ['a household of another village', HOUSEHOLD, { rightsLevel: 'HOUSEHOLD', owners: [{ householdId: jinTaiHousehold, shareBp: 10000 }] }, 'NOT_FOUND', ['input', 'owners', '0', 'householdId']],
    ['another township\'s government', PUBLIC, { rightsLevel: 'TOWNSHIP', owners: [{ partyId: changchiId, shareBp: 10000 }] }, 'OWNER_NOT_ALLOWED', ['input', 'owners', '0']],
    ['a village of another county', {}, { owners: [{ villageCode: V.liangya, shareBp: 10000 }] }, 'INVALID_REGION', ['input', 'owners', '0', 'villageCode']],
    ['two references in one owner', {}, { owners: [{ villageCode: V.chaping, partyId: townshipId, shareBp: 10000 }] }, 'INVALID_INPUT', ['input', 'owners', '0']],
    ['an empty certificate number', {}, { certificateNo: ' ' }, 'REQUIRED', ['input', 'certificateNo']],
    ['a future date', {}, { confirmedOn: '2026-11-23' }, 'DATE_IN_FUTURE', ['input', 'confirmedOn']],
  ];

  // The table is built again inside each test: party and household ids exist only after beforeAll.
  it.each(cases().map((c) => [c[0]] as const))('rejects %s with a code and writes nothing', async (label) => {
    const [, assetOverrides, inputOverrides, code, field] = cases().find((x) => x[0] === label)!;
    const asset = await newAsset(assetOverrides);
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', CONFIRM, { input: confirmInput(asset.id, '2021-11-10', inputOverrides) });
    expect(body.data.rightsConfirm.asset).toBeNull();
    expect(body.data.rightsConfirm.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
    expect((await env.db('assets').where({ id: gidNum(asset.id) }).first()).status).toBe('REGISTERED');
  });

  it('keeps an owner from another county out even for an administrator', async () => {
    const asset = await newAsset();
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('admin', CONFIRM, { input: confirmInput(asset.id, '2021-11-10', { owners: [{ villageCode: V.liangya, shareBp: 10000 }] }) });
    expect(body.data.rightsConfirm.errors[0]).toMatchObject({ code: 'OWNER_NOT_ALLOWED', field: ['input', 'owners', '0'] });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('refuses confirming twice (ILLEGAL_TRANSITION) and writes nothing', async () => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', CONFIRM, { input: confirmInput(asset.id, '2021-11-11') });
    expect(body.data.rightsConfirm.errors[0].code).toBe('ILLEGAL_TRANSITION');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('refuses other roles and other villages: FORBIDDEN for a wrong role, NOT_FOUND outside the scope', async () => {
    const asset = await newAsset();
    const before = await snapshot(env.db, TABLES);
    for (const token of ['planner', 'finance', 'reviewer'] as const) {
      const body = await env.gql(token, CONFIRM, { input: confirmInput(asset.id, '2021-11-10') });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const other = await env.gql('otherClerk', CONFIRM, { input: confirmInput(asset.id, '2021-11-10') });
    expect(other.data.rightsConfirm.errors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'assetId'] });
    const unknown = await env.gql('clerk', CONFIRM, { input: confirmInput('Asset:999999', '2021-11-10') });
    expect(unknown.data.rightsConfirm.errors[0].code).toBe('NOT_FOUND');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('rightsChange', () => {
  const approval = { reference: '南江乡振〔2022〕12号', approvedBy: '南江县乡村振兴局', approvedOn: '2022-12-20' };
  const changeInput = (assetId: string, overrides: Record<string, unknown> = {}) => ({
    assetId,
    owners: [
      { villageCode: V.chaping, shareBp: 7000 },
      { villageCode: V.jintai, shareBp: 3000 },
    ],
    rightsLevel: 'VILLAGE',
    certificateNo: '南江资确〔2023〕0007号',
    effectiveOn: '2023-01-01',
    reason: '金台村以配套资金入股，按出资比例调整份额',
    approval,
    ...overrides,
  });

  it('closes the current owners and adds the new ones: history stays readable by date', async () => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const body = await env.gql('clerk', CHANGE, { input: changeInput(asset.id) });
    expect(body.data.rightsChange.errors).toEqual([]);
    // Adding 金台村 as an owner waits on both villages' resolutions and the township: nothing changes yet.
    const chain = body.data.rightsChange.approvalChain;
    expect(body.data.rightsChange.rightsConfirmation).toBeNull();
    expect(chain.status).toBe('PENDING');
    expect(chain.steps.map((st: any) => [st.kind, st.role, st.region.code])).toEqual([
      ['VILLAGE_RESOLUTION', 'VILLAGE_CLERK', V.jintai],
      ['VILLAGE_RESOLUTION', 'VILLAGE_CLERK', V.chaping],
      ['TOWNSHIP', 'TOWNSHIP_REVIEWER', YUNDING],
    ]);
    const id = gidNum(asset.id);
    expect(await count(env.db, 'asset_owners', { asset_id: id })).toBe(1);
    expect((await decide(env, 'otherClerk', chain.id, '2023-01-01')).data.approvalDecide.chain.status).toBe('PENDING');
    expect((await decide(env, 'clerk', chain.id, '2023-01-01')).data.approvalDecide.chain.nextStep).toEqual({ kind: 'TOWNSHIP' });
    expect(await count(env.db, 'asset_owners', { asset_id: id })).toBe(1);
    const approved = await decide(env, 'reviewer', chain.id, '2023-01-02');
    expect(approved.data.approvalDecide).toMatchObject({ chain: { status: 'APPROVED', nextStep: null }, errors: [] });
    const rows = await env.db('asset_owners').where({ asset_id: id }).orderBy('id');
    expect(rows.map((r: any) => [r.share_bp, r.effective_from, r.effective_to])).toEqual([
      [10000, '2021-11-10', '2023-01-01'],
      [7000, '2023-01-01', null],
      [3000, '2023-01-01', null],
    ]);
    expect((await ownersOn(env.db, id, '2022-12-31')).map((o) => o.shareBp)).toEqual([10000]);
    expect((await ownersOn(env.db, id, '2023-01-01')).map((o) => o.shareBp)).toEqual([7000, 3000]);
    const ev = await env.db('asset_events').where({ asset_id: id, action: 'RIGHTS_CHANGE' }).first();
    expect(ev).toMatchObject({ from_status: 'CONFIRMED', to_status: 'CONFIRMED', effective_on: '2023-01-01' });
    expect(JSON.parse(ev.payload)).toMatchObject({ before: [{ shareBp: 10000 }], after: [{ shareBp: 7000 }, { shareBp: 3000 }], approval, approvalChainId: gidNum(chain.id) });
    expect(await env.db('approval_decisions').where({ chain_id: gidNum(chain.id) }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });

    const card = await env.gql('finance', `query($id: ID!) { asset(id: $id) {
      owners { shareBp } ownersOn(date: "2022-06-01") { shareBp } ownershipHistory { shareBp effectiveTo } rightsHistory { kind certificateNo } } }`, { id: asset.id });
    expect(card.data.asset).toEqual({
      owners: [{ shareBp: 7000 }, { shareBp: 3000 }],
      ownersOn: [{ shareBp: 10000 }],
      ownershipHistory: [{ shareBp: 10000, effectiveTo: '2023-01-01' }, { shareBp: 7000, effectiveTo: null }, { shareBp: 3000, effectiveTo: null }],
      rightsHistory: [{ kind: 'CONFIRMATION', certificateNo: '南江资确〔2021〕0001号' }, { kind: 'CHANGE', certificateNo: '南江资确〔2023〕0007号' }],
    });
  });

  it.each([
    ['without an approval', { approval: null }, 'APPROVAL_REQUIRED', ['input', 'approval']],
    ['approved after it takes effect', { approval: { ...approval, approvedOn: '2023-01-02' } }, 'DATE_ORDER', ['input', 'effectiveOn']],
    ['on the current owners\' first day', { effectiveOn: '2021-11-10', approval: { ...approval, approvedOn: '2021-11-01' } }, 'DATE_ORDER', ['input', 'effectiveOn']],
    ['with shares not adding up', { owners: [{ villageCode: V.chaping, shareBp: 7000 }] }, 'SHARES_NOT_100', ['input', 'owners']],
    ['without a reason', { reason: '' }, 'REQUIRED', ['input', 'reason']],
  ] as [string, Record<string, unknown>, string, string[]][])('rejects a change %s and writes nothing', async (_l, overrides, code, field) => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', CHANGE, { input: changeInput(asset.id, overrides) });
    expect(body.data.rightsChange.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('a clerk cannot route income to another village by typing in its own approval (issue 8.1)', async () => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const selfApproved = { reference: '自批-1', approvedBy: '茶坪村报账员自己', approvedOn: '2022-12-20' };
    const body = await env.gql('clerk', CHANGE, {
      input: changeInput(asset.id, { owners: [{ villageCode: V.shiqiao, shareBp: 5000 }, { villageCode: V.chaping, shareBp: 5000 }], approval: selfApproved }),
    });
    const chain = body.data.rightsChange.approvalChain;
    expect(chain.status).toBe('PENDING');
    const id = gidNum(asset.id);
    const owners = async () => (await ownersOn(env.db, id, '2026-01-01')).map((o) => o.shareBp);
    expect(await owners()).toEqual([10000]);
    // The requesting clerk decides only its own village's resolution; 石桥村's and the township's are not its to take.
    expect((await decide(env, 'clerk', chain.id, '2023-01-01')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const before = await snapshot(env.db, ['approval_decisions', 'asset_owners']);
    for (const who of ['clerk', 'admin', 'finance', 'planner', 'otherReviewer'] as TokenName[]) {
      const r = await decide(env, who, chain.id, '2023-01-01');
      expect(r.errors?.[0]?.extensions?.code ?? r.data?.approvalDecide?.errors?.[0]?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    }
    expect(await snapshot(env.db, ['approval_decisions', 'asset_owners'])).toEqual(before);
    expect(await owners()).toEqual([10000]);
    // A second change while one waits is refused.
    const again = await env.gql('clerk', CHANGE, { input: changeInput(asset.id) });
    expect(again.data.rightsChange.errors[0].code).toBe('APPROVAL_PENDING');
  });

  it('a rejection by the township ends the chain and leaves the owners as they were', async () => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const chain = (await env.gql('clerk', CHANGE, { input: changeInput(asset.id) })).data.rightsChange.approvalChain;
    await decide(env, 'otherClerk', chain.id, '2023-01-01');
    await decide(env, 'clerk', chain.id, '2023-01-01');
    const noReason = await decide(env, 'reviewer', chain.id, '2023-01-02', { decision: 'REJECT' });
    expect(noReason.data.approvalDecide.errors[0]).toMatchObject({ code: 'REQUIRED', field: ['input', 'reason'] });
    const rejected = await decide(env, 'reviewer', chain.id, '2023-01-02', { decision: 'REJECT', reason: '未经资产评估' });
    expect(rejected.data.approvalDecide.chain.status).toBe('REJECTED');
    expect((await ownersOn(env.db, gidNum(asset.id), '2026-01-01')).map((o) => o.shareBp)).toEqual([10000]);
    const late = await decide(env, 'reviewer', chain.id, '2023-01-03');
    expect(late.data.approvalDecide.errors[0].code).toBe('ILLEGAL_TRANSITION');
  });

  it('a village resolution needs its meeting: two thirds present and a majority', async () => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const chain = (await env.gql('clerk', CHANGE, { input: changeInput(asset.id) })).data.rightsChange.approvalChain;
    const before = await snapshot(env.db, ['approval_decisions']);
    const cases: [Record<string, unknown>, string][] = [
      [{ meeting: null }, 'REQUIRED'],
      [{ meeting: { heldOn: '2023-01-01', memberCount: 30, attendance: 19, votesFor: 19 } }, 'QUORUM_NOT_MET'],
      [{ meeting: { heldOn: '2023-01-01', memberCount: 30, attendance: 20, votesFor: 10 } }, 'MAJORITY_NOT_REACHED'],
      [{ decidedOn: '2099-01-01' }, 'DATE_IN_FUTURE'],
    ];
    for (const [extra, code] of cases) {
      const r = await decide(env, 'otherClerk', chain.id, '2023-01-01', extra);
      expect(r.data.approvalDecide.errors[0].code).toBe(code);
    }
    expect(await snapshot(env.db, ['approval_decisions'])).toEqual(before);
    // Exactly two thirds is enough.
    const ok = await decide(env, 'otherClerk', chain.id, '2023-01-01', { meeting: { heldOn: '2023-01-01', memberCount: 30, attendance: 20, votesFor: 11 } });
    expect(ok.data.approvalDecide.errors).toEqual([]);
  });

  it('refuses a change before any confirmation', async () => {
    const asset = await newAsset();
    const body = await env.gql('clerk', CHANGE, { input: changeInput(asset.id) });
    expect(body.data.rightsChange.errors[0].code).toBe('ILLEGAL_TRANSITION');
  });
});

describe('assetHandOver', () => {
  it('records the deed, hands over to the largest owner by default and books the asset', async () => {
    const asset = await newAsset({ bookedOn: null });
    await env.gql('clerk', CONFIRM, {
      input: confirmInput(asset.id, '2021-11-10', { owners: [{ villageCode: V.jintai, shareBp: 4000 }, { villageCode: V.chaping, shareBp: 6000 }] }),
    });
    const body = await env.gql('clerk', HAND_OVER, { input: handOverInput(asset.id, '2021-11-20', { bookedOn: '2021-12-01' }) });
    const { asset: a, errors } = body.data.assetHandOver;
    expect(errors).toEqual([]);
    expect(a).toMatchObject({ status: 'HANDED_OVER', handedOverOn: '2021-11-20', bookedOn: '2021-12-01' });
    expect(a.handoverDeed).toEqual({
      deedNo: '南江资移〔2021〕0001号',
      handedOverOn: '2021-11-20',
      transferor: '南江县农业农村局',
      witness: '云顶镇人民政府',
      recipientSignatory: '张理事长',
      recipient: { name: '茶坪村股份经济合作社' },
    });
    const id = gidNum(asset.id);
    expect(await count(env.db, 'handover_deeds', { asset_id: id })).toBe(1);
    expect(await env.db('assets').where({ id }).first()).toMatchObject({ handed_over_on: '2021-11-20', booked_on: '2021-12-01' });
    const ev = await env.db('asset_events').where({ asset_id: id, action: 'HAND_OVER' }).first();
    expect(ev).toMatchObject({ from_status: 'CONFIRMED', to_status: 'HANDED_OVER', effective_on: '2021-11-20' });
    expect(JSON.parse(ev.payload)).toMatchObject({ deedNo: '南江资移〔2021〕0001号', transferor: '南江县农业农村局', witness: '云顶镇人民政府', bookedOn: '2021-12-01' });
  });

  it('accepts a named recipient that is an owner', async () => {
    const asset = await newAsset();
    await env.gql('clerk', CONFIRM, {
      input: confirmInput(asset.id, '2021-11-10', { owners: [{ villageCode: V.jintai, shareBp: 4000 }, { villageCode: V.chaping, shareBp: 6000 }] }),
    });
    const body = await env.gql('clerk', HAND_OVER, { input: handOverInput(asset.id, '2021-11-20', { recipient: { villageCode: V.jintai } }) });
    expect(body.data.assetHandOver.handoverDeed.recipient.name).toBe('金台村股份经济合作社');
  });

  type Case = [string, Record<string, unknown>, [string, string][], Record<string, unknown>, string, string[]];
  const cases: Case[] = [
    ['before confirmation', {}, [], {}, 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['twice', {}, [['rightsConfirm', '2021-11-10'], ['assetHandOver', '2021-11-20']], {}, 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['without acceptance', { completedOn: null, acceptedOn: null, bookedOn: null }, [['rightsConfirm', '2021-11-10']], {}, 'NOT_ACCEPTED', ['input', 'assetId']],
    ['before acceptance', {}, [['rightsConfirm', '2021-10-01']], { handedOverOn: '2021-10-31' }, 'DATE_ORDER', ['input', 'handedOverOn']],
    ['after booking', {}, [['rightsConfirm', '2021-11-10']], { handedOverOn: '2021-12-02' }, 'DATE_ORDER', ['input', 'bookedOn']],
    ['booked before handover', { bookedOn: null }, [['rightsConfirm', '2021-11-10']], { bookedOn: '2021-11-15' }, 'DATE_ORDER', ['input', 'bookedOn']],
    ['with a different booking date', {}, [['rightsConfirm', '2021-11-10']], { bookedOn: '2021-12-05' }, 'INVALID_INPUT', ['input', 'bookedOn']],
    ['before the confirmation', {}, [['rightsConfirm', '2021-11-15']], { handedOverOn: '2021-11-12' }, 'DATE_ORDER', ['input', 'handedOverOn']],
    ['in the future', { bookedOn: null }, [['rightsConfirm', '2021-11-10']], { handedOverOn: '2026-11-23' }, 'DATE_IN_FUTURE', ['input', 'handedOverOn']],
    ['without a witness', {}, [['rightsConfirm', '2021-11-10']], { witness: '' }, 'REQUIRED', ['input', 'witness']],
    ['without a deed number', {}, [['rightsConfirm', '2021-11-10']], { deedNo: '' }, 'REQUIRED', ['input', 'deedNo']],
    ['to a non-owner', {}, [['rightsConfirm', '2021-11-10']], { recipient: { villageCode: V.jintai } }, 'NOT_AN_OWNER', ['input', 'recipient']],
  ];

  it.each(cases)('rejects a handover %s and writes nothing', async (_l, assetOverrides, before, inputOverrides, code, field) => {
    const asset = await newAsset(assetOverrides);
    for (const [m, d] of before) await step(env, m, asset.id, d);
    const row = await env.db('assets').where({ id: gidNum(asset.id) }).first();
    const snap = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', HAND_OVER, { input: handOverInput(asset.id, '2021-11-20', inputOverrides) });
    expect(body.data.assetHandOver.asset).toBeNull();
    expect(body.data.assetHandOver.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, TABLES)).toEqual(snap);
    expect(await env.db('assets').where({ id: gidNum(asset.id) }).first()).toEqual(row);
  });

  it('refuses a county planner (FORBIDDEN)', async () => {
    const asset = await newAsset();
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    const body = await env.gql('planner', HAND_OVER, { input: handOverInput(asset.id, '2021-11-20') });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
