import { setup, TestEnv, snapshot, gidNum } from './helpers';
import { createProject, registerAsset, step } from './fixtures';
import { V } from '../seeds/demo-data';
import { fundVillage } from './distribution.helpers';

const ASSIGN = `mutation($input: UpkeepAssignInput!) {
  upkeepAssign(input: $input) {
    asset { id upkeep { personName fundSource effectiveFrom body { name } } }
    upkeepAssignment { id personName personRole fundSource effectiveFrom effectiveTo body { name kind } }
    errors { code field message }
  }
}`;
const RECORD = `mutation($input: UpkeepRecordInput!) {
  upkeepRecord(input: $input) { upkeepRecord { id kind doneOn cost note } errors { code field message } }
}`;
const WARNINGS = `query($regionCode: String, $first: Int, $after: String) {
  upkeepWarnings(regionCode: $regionCode, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { kind message asset { id name status } }
  }
}`;
const TABLES = ['upkeep_assignments', 'upkeep_records', 'asset_events'];

let env: TestEnv;
let projectId: string;
beforeAll(async () => {
  env = await setup();
  projectId = (await createProject(env, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '9000000.00' }] })).id;
});
afterAll(() => env.close());

const money = { originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }] };
const PUBLIC = { class: 'PUBLIC_WELFARE', subType: 'DRINKING_WATER', ...money };

/** A public-welfare asset taken as far as `upTo`. */
async function publicAsset(upTo: 'REGISTERED' | 'CONFIRMED' | 'HANDED_OVER' | 'IN_USE', name = '集中供水工程') {
  const asset = await registerAsset(env, projectId, { ...PUBLIC, name });
  if (upTo === 'REGISTERED') return asset;
  await step(env, 'rightsConfirm', asset.id, '2021-11-10');
  if (upTo === 'CONFIRMED') return asset;
  await step(env, 'assetHandOver', asset.id, '2021-11-20');
  if (upTo === 'HANDED_OVER') return asset;
  await step(env, 'assetPutInUse', asset.id, '2021-12-01');
  return asset;
}

const assignInput = (assetId: string, overrides: Record<string, unknown> = {}) => ({
  assetId,
  body: { villageCode: V.chaping },
  personName: '陈有才',
  personRole: '公益性岗位 管水员',
  fundSource: 'VILLAGE_OPERATING_FUNDS',
  effectiveFrom: '2021-12-01',
  ...overrides,
});

describe('upkeepAssign', () => {
  it('assigns body, person and fund source, with an event; a new keeper closes the old assignment', async () => {
    const asset = await publicAsset('IN_USE');
    const first = await env.gql('clerk', ASSIGN, { input: assignInput(asset.id) });
    expect(first.data.upkeepAssign.errors).toEqual([]);
    expect(first.data.upkeepAssign.upkeepAssignment).toMatchObject({
      personName: '陈有才',
      personRole: '公益性岗位 管水员',
      fundSource: 'VILLAGE_OPERATING_FUNDS',
      effectiveFrom: '2021-12-01',
      effectiveTo: null,
      body: { name: '茶坪村股份经济合作社', kind: 'VILLAGE_COLLECTIVE' },
    });
    expect(first.data.upkeepAssign.asset.upkeep.personName).toBe('陈有才');
    const second = await env.gql('clerk', ASSIGN, {
      input: assignInput(asset.id, { personName: '何德明', fundSource: 'FISCAL_UPKEEP_FUNDS', effectiveFrom: '2024-01-01' }),
    });
    expect(second.data.upkeepAssign.errors).toEqual([]);
    const id = gidNum(asset.id);
    const rows = await env.db('upkeep_assignments').where({ asset_id: id }).orderBy('id');
    expect(rows.map((r: any) => [r.person_name, r.fund_source, r.effective_from, r.effective_to])).toEqual([
      ['陈有才', 'VILLAGE_OPERATING_FUNDS', '2021-12-01', '2024-01-01'],
      ['何德明', 'FISCAL_UPKEEP_FUNDS', '2024-01-01', null],
    ]);
    const events = await env.db('asset_events').where({ asset_id: id, action: 'UPKEEP_ASSIGN' }).orderBy('id');
    expect(events.map((e: any) => [e.effective_on, e.from_status, e.to_status])).toEqual([
      ['2021-12-01', 'IN_USE', 'IN_USE'],
      ['2024-01-01', 'IN_USE', 'IN_USE'],
    ]);
    expect(JSON.parse(events[1].payload)).toMatchObject({ personName: '何德明', previousAssignmentId: rows[0].id });
    const card = await env.gql('finance', `query($id: ID!) { asset(id: $id) { upkeep { personName } upkeepHistory { personName effectiveTo } } }`, { id: asset.id });
    expect(card.data.asset).toEqual({
      upkeep: { personName: '何德明' },
      upkeepHistory: [{ personName: '陈有才', effectiveTo: '2024-01-01' }, { personName: '何德明', effectiveTo: null }],
    });
  });

  it.each([
    ['before rights are confirmed', 'REGISTERED', {}, 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['without a person', 'IN_USE', { personName: ' ' }, 'REQUIRED', ['input', 'personName']],
    ['from a future date', 'IN_USE', { effectiveFrom: '2026-11-23' }, 'DATE_IN_FUTURE', ['input', 'effectiveFrom']],
    ['before the previous step', 'IN_USE', { effectiveFrom: '2021-11-30' }, 'DATE_ORDER', ['input', 'effectiveFrom']],
    ['with an unknown body', 'IN_USE', { body: { partyId: 'Party:99999' } }, 'NOT_FOUND', ['input', 'body', 'partyId']],
    ['with no body reference', 'IN_USE', { body: {} }, 'INVALID_INPUT', ['input', 'body']],
  ] as [string, 'REGISTERED' | 'IN_USE', Record<string, unknown>, string, string[]][])(
    'rejects an assignment %s and writes nothing',
    async (_l, upTo, overrides, code, field) => {
      const asset = await publicAsset(upTo);
      const before = await snapshot(env.db, TABLES);
      const body = await env.gql('clerk', ASSIGN, { input: assignInput(asset.id, overrides) });
      expect(body.data.upkeepAssign.errors[0]).toMatchObject({ code, field });
      expect(await snapshot(env.db, TABLES)).toEqual(before);
    },
  );

  it('refuses a second assignment not after the current one', async () => {
    const asset = await publicAsset('IN_USE');
    await env.gql('clerk', ASSIGN, { input: assignInput(asset.id, { effectiveFrom: '2022-01-01' }) });
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql('clerk', ASSIGN, { input: assignInput(asset.id, { effectiveFrom: '2022-01-01' }) });
    expect(body.data.upkeepAssign.errors[0]).toMatchObject({ code: 'DATE_ORDER', field: ['input', 'effectiveFrom'] });
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });

  it('refuses other roles (FORBIDDEN) and other villages (NOT_FOUND)', async () => {
    const asset = await publicAsset('IN_USE');
    const before = await snapshot(env.db, TABLES);
    expect((await env.gql('planner', ASSIGN, { input: assignInput(asset.id) })).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await env.gql('otherClerk', ASSIGN, { input: assignInput(asset.id) })).data.upkeepAssign.errors[0].code).toBe('NOT_FOUND');
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('upkeepRecord', () => {
  let keys = 0;
  const recordInput = (assetId: string, overrides: Record<string, unknown> = {}) => ({
    assetId,
    kind: 'REPAIR',
    doneOn: '2025-06-15',
    cost: '3500.50',
    note: '更换水泵',
    paidFrom: 'INCOME_PENDING_DISTRIBUTION',
    idempotencyKey: `upkeep-${++keys}`,
    ...overrides,
  });

  it('records a repair with its cost as integer fen, and an event; old records may be entered late', async () => {
    const asset = await publicAsset('IN_USE');
    await fundVillage(env, V.chaping, 1_000_000);
    await env.gql('clerk', ASSIGN, { input: assignInput(asset.id, { effectiveFrom: '2024-01-01' }) });
    const body = await env.gql('clerk', RECORD, { input: recordInput(asset.id) });
    expect(body.data.upkeepRecord.errors).toEqual([]);
    expect(body.data.upkeepRecord.upkeepRecord).toMatchObject({ kind: 'REPAIR', doneOn: '2025-06-15', cost: '3500.50', note: '更换水泵' });
    // An inspection from before the last step (entered late) is fine: records are observations.
    const late = await env.gql('clerk', RECORD, { input: recordInput(asset.id, { kind: 'INSPECTION', doneOn: '2022-03-01', cost: '0.00' }) });
    expect(late.data.upkeepRecord.errors).toEqual([]);
    const id = gidNum(asset.id);
    const rows = await env.db('upkeep_records').where({ asset_id: id }).orderBy('id');
    expect(rows.map((r: any) => [r.kind, r.done_on, r.cost_fen])).toEqual([
      ['REPAIR', '2025-06-15', 350050],
      ['INSPECTION', '2022-03-01', 0],
    ]);
    const events = await env.db('asset_events').where({ asset_id: id, action: 'UPKEEP_RECORD' }).orderBy('id');
    expect(events.map((e: any) => e.effective_on)).toEqual(['2025-06-15', '2022-03-01']);
    expect(JSON.parse(events[0].payload)).toMatchObject({ kind: 'REPAIR', costFen: 350050 });
    // A late observation does not block later steps dated after the last real step.
    expect((await step(env, 'assetMarkIdle', asset.id, '2024-06-01')).asset.status).toBe('IDLE');
    const card = await env.gql('finance', `query($id: ID!) { asset(id: $id) { upkeepRecords { kind doneOn cost } } }`, { id: asset.id });
    expect(card.data.asset.upkeepRecords).toEqual([
      { kind: 'INSPECTION', doneOn: '2022-03-01', cost: '0.00' },
      { kind: 'REPAIR', doneOn: '2025-06-15', cost: '3500.50' },
    ]);
  });

  it.each([
    ['before handover', 'CONFIRMED', {}, 'ILLEGAL_TRANSITION', ['input', 'assetId']],
    ['dated before the handover', 'IN_USE', { doneOn: '2021-11-19' }, 'DATE_ORDER', ['input', 'doneOn']],
    ['in the future', 'IN_USE', { doneOn: '2026-11-23' }, 'DATE_IN_FUTURE', ['input', 'doneOn']],
    ['with a negative cost', 'IN_USE', { cost: '-1.00' }, 'INVALID_AMOUNT', ['input', 'cost']],
  ] as [string, 'CONFIRMED' | 'IN_USE', Record<string, unknown>, string, string[]][])(
    'rejects a record %s and writes nothing',
    async (_l, upTo, overrides, code, field) => {
      const asset = await publicAsset(upTo);
      const before = await snapshot(env.db, TABLES);
      const body = await env.gql('clerk', RECORD, { input: recordInput(asset.id, overrides) });
      expect(body.data.upkeepRecord.errors[0]).toMatchObject({ code, field });
      expect(await snapshot(env.db, TABLES)).toEqual(before);
    },
  );

  it('rejects a cost with three decimals at the Money scalar', async () => {
    const asset = await publicAsset('IN_USE');
    const body = await env.gql('clerk', RECORD, { input: recordInput(asset.id, { cost: '1.005' }) });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('upkeepWarnings', () => {
  let local: TestEnv;
  beforeAll(async () => {
    local = await setup();
  });
  afterAll(() => local.close());

  it('lists public-welfare assets in use without upkeep assigned today, scoped, paged', async () => {
    const saved = env;
    env = local;
    try {
      projectId = (await createProject(local, { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '9000000.00' }] })).id;
      const kept = await publicAsset('IN_USE', '有人管护的供水工程');
      const unkept = await publicAsset('IN_USE', '无人管护的供水工程');
      await publicAsset('HANDED_OVER', '已移交未使用'); // not in use yet: no warning
      await publicAsset('IN_USE', '第二处无人管护');
      await local.gql('clerk', ASSIGN, { input: assignInput(kept.id) });
      // An operating asset is not a public-welfare warning.
      const plant = await registerAsset(local, projectId, { ...money, name: '厂房' });
      await step(local, 'rightsConfirm', plant.id, '2021-11-10');

      const w = await local.gql('finance', WARNINGS, {});
      const names = w.data.upkeepWarnings.nodes.map((n: any) => n.asset.name);
      expect(names).toEqual(['无人管护的供水工程', '第二处无人管护']);
      expect(w.data.upkeepWarnings.nodes[0]).toMatchObject({ kind: 'NO_KEEPER', asset: { status: 'IN_USE' } });
      expect(w.data.upkeepWarnings.nodes[0].message).toContain('管护责任未落实');
      expect(w.data.upkeepWarnings.totalCount).toBe(2);

      // Paging.
      const p1 = await local.gql('finance', WARNINGS, { first: 1 });
      expect(p1.data.upkeepWarnings.pageInfo.hasNextPage).toBe(true);
      const p2 = await local.gql('finance', WARNINGS, { first: 1, after: p1.data.upkeepWarnings.pageInfo.endCursor });
      expect(p2.data.upkeepWarnings.nodes[0].asset.name).toBe('第二处无人管护');

      // Assigning upkeep clears the warning.
      await local.gql('clerk', ASSIGN, { input: assignInput(unkept.id) });
      expect((await local.gql('finance', WARNINGS, {})).data.upkeepWarnings.totalCount).toBe(1);

      // Scope: the village clerk sees its own; other villages and counties see nothing.
      expect((await local.gql('clerk', WARNINGS, {})).data.upkeepWarnings.totalCount).toBe(1);
      expect((await local.gql('otherClerk', WARNINGS, {})).data.upkeepWarnings.totalCount).toBe(0);
      expect((await local.gql('jiangeFinance', WARNINGS, { regionCode: V.chaping })).data.upkeepWarnings.totalCount).toBe(0);
      expect((await local.gql('planner', WARNINGS, { regionCode: V.jintai })).data.upkeepWarnings.totalCount).toBe(0);
    } finally {
      env = saved;
    }
  });
});
