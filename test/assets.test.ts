import { setup, TestEnv, count, snapshot, countQueries, gidNum } from './helpers';
import { ASSET_REGISTER, assetInput, confirmInput, contractInput, CONTRACT_SIGN, createProject, registerAsset, step, STEP } from './fixtures';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const WRITE_TABLES = ['assets', 'asset_funding_lines', 'asset_events', 'asset_code_sequences'];

describe('assetRegister', () => {
  it('registers an asset with funding lines, a county-unique code and a REGISTER event', async () => {
    const project = await createProject(env);
    const body = await env.gql('clerk', ASSET_REGISTER, { input: assetInput(project.id) });
    const { asset, errors } = body.data.assetRegister;
    expect(errors).toEqual([]);
    expect(asset.code).toMatch(/^511922-2021-JY-\d{4}$/);
    expect(asset.status).toBe('REGISTERED');
    expect(asset.originalValue).toBe('600000.00');
    expect(asset.year).toBe(2021);
    expect(asset.village).toEqual({ code: V.chaping, name: '茶坪村' });
    expect(asset.events).toEqual([
      { action: 'REGISTER', fromStatus: null, toStatus: 'REGISTERED', effectiveOn: '2026-11-22' },
    ]);
    const id = gidNum(asset.id);
    const row = await env.db('assets').where({ id }).first();
    expect(row.original_value_fen).toBe(60_000_000);
    expect(row.county_code).toBe('511922000000');
    const lines = await env.db('asset_funding_lines').where({ asset_id: id }).orderBy('id');
    expect(lines.map((l: any) => [l.source, l.level, l.amount_fen])).toEqual([
      ['CENTRAL_TRANSITION', 'CENTRAL', 50_000_000],
      ['VILLAGE_SELF_FUNDED', 'VILLAGE', 10_000_000],
    ]);
    const events = await env.db('asset_events').where({ asset_id: id });
    expect(events).toHaveLength(1);
    expect(events[0].actor_user_id).toBe(env.userIds.clerk);
  });

  it('numbers codes per county, year and class in sequence', async () => {
    const project = await createProject(env);
    const a = await registerAsset(env, project.id, { originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }] });
    const b = await registerAsset(env, project.id, { originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }] });
    const c = await registerAsset(env, project.id, {
      class: 'PUBLIC_WELFARE',
      subType: 'ROAD',
      originalValue: '1000.00',
      fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }],
    });
    const seq = (code: string) => Number(code.slice(-4));
    expect(seq(b.code)).toBe(seq(a.code) + 1);
    expect(c.code).toMatch(/^511922-2021-GY-0001$/);
  });

  const rejections: [string, Record<string, unknown>, string, string[]][] = [
    ['funding lines not adding up', { originalValue: '600000.01' }, 'FUNDING_MISMATCH', ['input', 'fundingLines']],
    ['sub-type of another class', { subType: 'ROAD' }, 'INVALID_SUB_TYPE', ['input', 'subType']],
    ['acceptance before completion', { completedOn: '2021-11-02', acceptedOn: '2021-11-01' }, 'DATE_ORDER', ['input', 'acceptedOn']],
    ['booking before acceptance', { bookedOn: '2021-10-15' }, 'DATE_ORDER', ['input', 'bookedOn']],
    ['a future date', { bookedOn: '2027-01-01' }, 'DATE_IN_FUTURE', ['input', 'bookedOn']],
    ['a village outside the project', { villageCode: V.jintai }, 'INVALID_REGION', ['input', 'villageCode']],
    ['a township as village', { villageCode: '511922105000' }, 'INVALID_REGION', ['input', 'villageCode']],
    ['an oversized name', { name: '茶'.repeat(201) }, 'TOO_LONG', ['input', 'name']],
    ['an empty name', { name: '   ' }, 'REQUIRED', ['input', 'name']],
    ['zero quantity', { quantity: 0 }, 'OUT_OF_RANGE', ['input', 'quantity']],
    ['zero value', { originalValue: '0.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '0.00' }] }, 'INVALID_AMOUNT', ['input', 'originalValue']],
    ['a negative funding line', { fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '700000.00' }, { source: 'VILLAGE_SELF_FUNDED', amount: '-100000.00' }] }, 'INVALID_AMOUNT', ['input', 'fundingLines', '1', 'amount']],
    ['more than the project has from a source', { originalValue: '900000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '900000.00' }] }, 'FUNDING_EXCEEDS_PROJECT', ['input', 'fundingLines']],
    ['a source the project lacks', { originalValue: '1000.00', fundingLines: [{ source: 'CREDIT', amount: '1000.00' }] }, 'FUNDING_EXCEEDS_PROJECT', ['input', 'fundingLines']],
    ['an unknown project', { projectId: 'Project:999999' }, 'NOT_FOUND', ['input', 'projectId']],
    ['a malformed project id', { projectId: 'Asset:1' }, 'NOT_FOUND', ['input', 'projectId']],
  ];

  // As admin, so that region rules are reached (a clerk is stopped earlier by its scope: FORBIDDEN).
  it.each(rejections)('rejects %s with a code and writes nothing', async (_label, overrides, code, field) => {
    const project = await createProject(env);
    const before = await snapshot(env.db, WRITE_TABLES);
    const body = await env.gql('admin', ASSET_REGISTER, { input: assetInput(project.id, overrides) });
    expect(body.data.assetRegister.asset).toBeNull();
    expect(body.data.assetRegister.errors[0]).toMatchObject({ code, field });
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(before);
  });

  it('keeps the project funding cap across assets', async () => {
    const project = await createProject(env);
    await registerAsset(env, project.id, { originalValue: '800000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '800000.00' }] });
    const body = await env.gql('clerk', ASSET_REGISTER, {
      input: assetInput(project.id, { originalValue: '0.01', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '0.01' }] }),
    });
    expect(body.data.assetRegister.errors[0].code).toBe('FUNDING_EXCEEDS_PROJECT');
  });

  it('refuses a clerk writing in another village (FORBIDDEN, nothing written)', async () => {
    const project = await createProject(env, { regionCode: '511922105000' }, 'admin');
    const before = await snapshot(env.db, WRITE_TABLES);
    const body = await env.gql('otherClerk', ASSET_REGISTER, { input: assetInput(project.id) });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await snapshot(env.db, WRITE_TABLES)).toEqual(before);
  });
});

describe('lifecycle', () => {
  it('walks an operating asset through confirm → hand over → operation → idle → revitalised, with events', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    expect((await step(env, 'rightsConfirm', asset.id, '2021-11-10')).asset.status).toBe('CONFIRMED');
    const handed = await step(env, 'assetHandOver', asset.id, '2021-11-20');
    expect(handed.asset).toMatchObject({ status: 'HANDED_OVER', handedOverOn: '2021-11-20' });
    // No contract, no operation (有租无合同).
    expect((await step(env, 'assetStartOperation', asset.id, '2022-01-01')).errors[0].code).toBe('NO_CONTRACT');
    // Signed before its start: the status waits for the start, recorded by assetStartOperation on the day.
    env.clock.set('2021-12-20T02:00:00Z');
    try {
      const signed = await env.gql('clerk', CONTRACT_SIGN, { input: contractInput(asset.id) });
      expect(signed.data.contractSign.asset.status).toBe('HANDED_OVER');
    } finally {
      env.clock.set('2026-11-22T02:00:00.000Z');
    }
    expect((await step(env, 'assetStartOperation', asset.id, '2022-01-01')).asset.status).toBe('IN_OPERATION');
    expect((await step(env, 'assetMarkIdle', asset.id, '2024-06-30', 'planner')).asset.status).toBe('IDLE');
    const back = await step(env, 'assetRevitalise', asset.id, '2025-03-01');
    expect(back.asset.status).toBe('IN_OPERATION');
    expect(back.asset.events.map((e: any) => [e.action, e.fromStatus, e.toStatus, e.effectiveOn])).toEqual([
      ['REGISTER', null, 'REGISTERED', '2026-11-22'],
      ['CONFIRM_RIGHTS', 'REGISTERED', 'CONFIRMED', '2021-11-10'],
      ['HAND_OVER', 'CONFIRMED', 'HANDED_OVER', '2021-11-20'],
      ['CONTRACT_SIGN', 'HANDED_OVER', 'HANDED_OVER', '2021-12-15'],
      ['START_OPERATION', 'HANDED_OVER', 'IN_OPERATION', '2022-01-01'],
      ['MARK_IDLE', 'IN_OPERATION', 'IDLE', '2024-06-30'],
      ['REVITALISE', 'IDLE', 'IN_OPERATION', '2025-03-01'],
    ]);
    const rows = await env.db('asset_events').where({ asset_id: gidNum(asset.id) }).orderBy('id');
    expect(rows.map((r: any) => r.actor_user_id)).toEqual([
      env.userIds.clerk,
      env.userIds.clerk,
      env.userIds.clerk,
      env.userIds.clerk,
      env.userIds.clerk,
      env.userIds.planner,
      env.userIds.clerk,
    ]);
  });

  it('puts a public-welfare asset in use, never in operation', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id, { class: 'PUBLIC_WELFARE', subType: 'ROAD', originalValue: '1000.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '1000.00' }] });
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    await step(env, 'assetHandOver', asset.id, '2021-11-20');
    const op = await step(env, 'assetStartOperation', asset.id, '2021-12-01');
    expect(op.errors[0]).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect((await step(env, 'assetPutInUse', asset.id, '2021-12-01')).asset.status).toBe('IN_USE');
    expect((await step(env, 'assetMarkIdle', asset.id, '2023-01-01')).asset.status).toBe('IDLE');
    expect((await step(env, 'assetRevitalise', asset.id, '2023-06-01')).asset.status).toBe('IN_USE');
  });

  it.each([
    ['hand over before confirmation', [], 'assetHandOver', '2021-11-20', 'ILLEGAL_TRANSITION'],
    ['confirm twice', [['rightsConfirm', '2021-11-10']], 'rightsConfirm', '2021-11-11', 'ILLEGAL_TRANSITION'],
    ['revitalise a non-idle asset', [['rightsConfirm', '2021-11-10']], 'assetRevitalise', '2021-11-11', 'ILLEGAL_TRANSITION'],
    ['a step before the previous one', [['rightsConfirm', '2021-11-10']], 'assetHandOver', '2021-11-09', 'DATE_ORDER'],
    ['hand over before acceptance', [['rightsConfirm', '2021-10-01']], 'assetHandOver', '2021-10-15', 'DATE_ORDER'],
    ['hand over after booking', [['rightsConfirm', '2021-11-10']], 'assetHandOver', '2021-12-02', 'DATE_ORDER'],
    ['a step in the future', [], 'rightsConfirm', '2026-11-23', 'DATE_IN_FUTURE'],
  ] as [string, [string, string][], string, string, string][])(
    'rejects %s and writes nothing',
    async (_label, before, mutation, on, code) => {
      const project = await createProject(env);
      const asset = await registerAsset(env, project.id);
      for (const [m, d] of before) await step(env, m, asset.id, d);
      const row = await env.db('assets').where({ id: gidNum(asset.id) }).first();
      const events = await count(env.db, 'asset_events', { asset_id: gidNum(asset.id) });
      const res = await step(env, mutation, asset.id, on);
      expect(res.asset).toBeNull();
      expect(res.errors[0].code).toBe(code);
      expect(await env.db('assets').where({ id: gidNum(asset.id) }).first()).toEqual(row);
      expect(await count(env.db, 'asset_events', { asset_id: gidNum(asset.id) })).toBe(events);
    },
  );

  it('lets a county planner mark idle but not confirm rights', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    const body = await env.gql('planner', STEP('rightsConfirm'), { input: confirmInput(asset.id, '2021-11-10') });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await count(env.db, 'asset_events', { asset_id: gidNum(asset.id) })).toBe(1);
  });
});

describe('assetUpdate', () => {
  const UPDATE = `mutation($input: AssetUpdateInput!) { assetUpdate(input: $input) { asset { name quantity unit status events { action } } errors { code field } } }`;

  it('changes descriptive fields and records before/after in an UPDATE event', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    const body = await env.gql('clerk', UPDATE, { input: { assetId: asset.id, name: '茶叶加工厂房（扩建）', quantity: 1500, reason: '扩建' } });
    expect(body.data.assetUpdate.errors).toEqual([]);
    expect(body.data.assetUpdate.asset).toMatchObject({ name: '茶叶加工厂房（扩建）', quantity: 1500 });
    const ev = await env.db('asset_events').where({ asset_id: gidNum(asset.id), action: 'UPDATE' }).first();
    expect(JSON.parse(ev.payload)).toEqual({
      before: { name: '茶叶加工厂房', quantity: 1200 },
      after: { name: '茶叶加工厂房（扩建）', quantity: 1500 },
    });
  });

  it('rejects a sub-type of another class and an empty change', async () => {
    const project = await createProject(env);
    const asset = await registerAsset(env, project.id);
    const a = await env.gql('clerk', UPDATE, { input: { assetId: asset.id, subType: 'CLINIC' } });
    expect(a.data.assetUpdate.errors[0].code).toBe('INVALID_SUB_TYPE');
    const b = await env.gql('clerk', UPDATE, { input: { assetId: asset.id } });
    expect(b.data.assetUpdate.errors[0].code).toBe('INVALID_INPUT');
    expect(await count(env.db, 'asset_events', { asset_id: gidNum(asset.id) })).toBe(1);
  });
});

describe('assets query', () => {
  const LIST = `query($filter: AssetFilter, $first: Int, $after: String) {
    assets(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id code name village { name } project { name } fundingLines { source amount } }
    }
  }`;
  let local: TestEnv;
  beforeAll(async () => {
    local = await setup();
    const project = await createProject(local, {
      fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '100000.00' }, { source: 'SOCIAL_DONATION', amount: '100.00' }],
    });
    for (let i = 0; i < 120; i++) {
      await registerAsset(local, project.id, {
        name: i === 7 ? 'Special 大棚' : `资产${i}`,
        class: i % 2 ? 'HOUSEHOLD' : 'OPERATING',
        subType: i % 2 ? 'GREENHOUSE' : 'MACHINERY',
        originalValue: '100.00',
        fundingLines: [{ source: i === 5 ? 'SOCIAL_DONATION' : 'CENTRAL_TRANSITION', amount: '100.00' }],
      });
    }
  });
  afterAll(() => local.close());

  it('pages with keyset cursors: no gaps, no repeats, capped at 100', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const body: any = await local.gql('finance', LIST, { first: 50, after });
      const page = body.data.assets;
      expect(page.totalCount).toBe(120);
      seen.push(...page.nodes.map((n: any) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const tooMany = await local.gql('finance', LIST, { first: 101 });
    expect(tooMany.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badCursor = await local.gql('finance', LIST, { after: 'nonsense' });
    expect(badCursor.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('filters by class, sub-type, status, year, fund source, text and region', async () => {
    const q = async (filter: object) => (await local.gql('finance', LIST, { filter, first: 100 })).data.assets.totalCount;
    expect(await q({ class: 'HOUSEHOLD' })).toBe(60);
    expect(await q({ subType: 'MACHINERY' })).toBe(60);
    expect(await q({ status: 'REGISTERED' })).toBe(120);
    expect(await q({ status: 'IDLE' })).toBe(0);
    expect(await q({ year: 2021 })).toBe(120);
    expect(await q({ year: 2020 })).toBe(0);
    expect(await q({ fundSource: 'SOCIAL_DONATION' })).toBe(1);
    expect(await q({ text: 'special' })).toBe(1);
    expect(await q({ regionCode: V.chaping })).toBe(120);
    expect(await q({ regionCode: V.jintai })).toBe(0);
  });

  it('hides other villages and counties: out-of-scope reads return nothing', async () => {
    const other = await local.gql('otherClerk', LIST, {});
    expect(other.data.assets.totalCount).toBe(0);
    const jiange = await local.gql('jiangeFinance', LIST, { filter: { regionCode: V.chaping } });
    expect(jiange.data.assets.totalCount).toBe(0);
    const someId = (await local.gql('finance', LIST, { first: 1 })).data.assets.nodes[0].id;
    const card = await local.gql('otherClerk', `query($id: ID!) { asset(id: $id) { id } node(id: $id) { id } }`, { id: someId });
    expect(card.data).toEqual({ asset: null, node: null });
  });

  it('loads 100 assets with village, project and funding lines in a constant number of queries', async () => {
    const run = (first: number) =>
      countQueries(local.db, () => local.gql('finance', LIST.replace('totalCount', ''), { first }));
    const small = await run(5);
    const large = await run(100);
    expect(large.result.data.assets.nodes).toHaveLength(100);
    expect(large.result.data.assets.nodes[99].village.name).toBe('茶坪村');
    expect(large.queries).toBe(small.queries);
    expect(large.queries).toBeLessThanOrEqual(6);
  });
});
