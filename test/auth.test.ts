import { setup, TestEnv, TOKENS, TokenName, snapshot, gidNum } from './helpers';
import { ASSET_REGISTER, assetInput, createProject, HOUSEHOLD_REGISTER, householdInput, PROJECT_CREATE, registerAsset, step, STEP } from './fixtures';
import { V } from '../seeds/demo-data';
import request from 'supertest';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

describe('authentication', () => {
  it('answers UNAUTHENTICATED without a token, with an unknown token, and with a malformed header', async () => {
    for (const auth of [undefined, 'Bearer not-a-real-token', 'Basic abc', 'Bearer']) {
      const req = request(env.app).post('/graphql').set('content-type', 'application/json');
      if (auth) req.set('authorization', auth);
      const res = await req.send({ query: '{ me { name } }' });
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('allows schema introspection without a token (GraphiQL docs) but nothing else in the same operation', async () => {
    const intro = await env.gql(null, '{ __schema { queryType { name } } }');
    expect(intro.data.__schema.queryType.name).toBe('Query');
    const mixed = await env.gql(null, '{ __typename me { name } }');
    expect(mixed.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('stores tokens hashed, never in clear', async () => {
    const rows = await env.db('api_tokens').select('token_hash');
    for (const r of rows) {
      expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.values(TOKENS)).not.toContain(r.token_hash);
    }
  });

  it('returns the acting user from me', async () => {
    const body = await env.gql('reviewer', '{ me { id name role region { code name level } } }');
    expect(body.data.me).toEqual({
      id: `User:${env.userIds.reviewer}`,
      name: '镇审核',
      role: 'TOWNSHIP_REVIEWER',
      region: { code: '511922105000', name: '云顶镇', level: 'TOWNSHIP' },
    });
  });
});

describe('scope matrix: who may write where', () => {
  // [user, may register a household / project / asset in 茶坪村, may mark idle there]
  const matrix: [TokenName, boolean, boolean, boolean][] = [
    ['admin', true, true, true],
    ['clerk', true, true, true],
    ['otherClerk', false, false, false],
    ['reviewer', false, false, false],
    ['otherReviewer', false, false, false],
    ['finance', false, false, false],
    ['planner', false, true, true],
    ['jiangeFinance', false, false, false],
    ['liangyaClerk', false, false, false],
  ];
  let n = 0;

  it.each(matrix)('%s: household %s, project %s, mark idle %s', async (user, household, project, markIdle) => {
    const tables = ['households', 'projects', 'asset_events', 'audit_log'];
    const before = await snapshot(env.db, tables);
    const h = await env.gql(user, HOUSEHOLD_REGISTER, { input: householdInput(100 + n++) });
    if (household) expect(h.data.householdRegister.errors).toEqual([]);
    else expect(h.errors[0].extensions.code).toBe('FORBIDDEN');

    const p = await env.gql(user, PROJECT_CREATE, {
      input: { name: 'p', year: 2022, implementingUnit: 'u', regionCode: V.chaping, fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '10.00' }] },
    });
    if (project) expect(p.data.projectCreate.errors).toEqual([]);
    else expect(p.errors[0].extensions.code).toBe('FORBIDDEN');

    const pr = await createProject(env);
    const asset = await registerAsset(env, pr.id);
    await step(env, 'rightsConfirm', asset.id, '2021-11-10');
    await step(env, 'assetHandOver', asset.id, '2021-11-20');
    const idle = await env.gql(user, STEP('assetMarkIdle'), { input: { assetId: asset.id, effectiveOn: '2022-01-01' } });
    if (markIdle) expect(idle.data.assetMarkIdle.asset.status).toBe('IDLE');
    else if (user === 'otherClerk' || user === 'liangyaClerk' || user === 'jiangeFinance' || user === 'otherReviewer') {
      // An asset outside the scope does not exist for the user.
      expect(idle.data.assetMarkIdle.errors[0].code).toBe('NOT_FOUND');
    } else expect(idle.errors[0].extensions.code).toBe('FORBIDDEN');

    const after = await snapshot(env.db, tables);
    expect(after.households - before.households).toBe(household ? 1 : 0);
  });

  it('lets only the clerk (and admin) register assets, and only in its own village', async () => {
    const project = await createProject(env, { regionCode: '511922105000' }, 'admin');
    const tables = ['assets', 'asset_events', 'asset_funding_lines'];
    for (const user of ['finance', 'planner', 'reviewer', 'otherClerk'] as TokenName[]) {
      const before = await snapshot(env.db, tables);
      const body = await env.gql(user, ASSET_REGISTER, { input: assetInput(project.id) });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await snapshot(env.db, tables)).toEqual(before);
    }
    const ok = await env.gql('clerk', ASSET_REGISTER, { input: assetInput(project.id) });
    expect(ok.data.assetRegister.errors).toEqual([]);
  });
});

describe('reads by scope', () => {
  it('county users see the county, the township reviewer its township, a clerk its village, others nothing', async () => {
    const project = await createProject(env, { regionCode: '511922105000', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '100.00' }] }, 'admin');
    const mine = await registerAsset(env, project.id, { originalValue: '10.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '10.00' }] }, 'clerk');
    const theirs = await registerAsset(
      env,
      project.id,
      { villageCode: V.jintai, originalValue: '10.00', fundingLines: [{ source: 'CENTRAL_TRANSITION', amount: '10.00' }] },
      'otherClerk',
    );
    const Q = `query($a: ID!, $b: ID!) { a: asset(id: $a) { id } b: asset(id: $b) { id } }`;
    const see = async (user: TokenName) => {
      const d = (await env.gql(user, Q, { a: mine.id, b: theirs.id })).data;
      return [!!d.a, !!d.b];
    };
    expect(await see('finance')).toEqual([true, true]);
    expect(await see('planner')).toEqual([true, true]);
    expect(await see('reviewer')).toEqual([true, true]);
    expect(await see('clerk')).toEqual([true, false]);
    expect(await see('otherClerk')).toEqual([false, true]);
    expect(await see('otherReviewer')).toEqual([false, false]);
    expect(await see('jiangeFinance')).toEqual([false, false]);
    expect(gidNum(mine.id)).toBeGreaterThan(0);
  });

  it('shows regions inside and above the scope, not beside it', async () => {
    const Q = `{ county: region(code: "511922000000") { name children { code } } other: region(code: "511922105002") { name } far: region(code: "510823000000") { name } }`;
    const d = (await env.gql('clerk', Q)).data;
    expect(d.county.name).toBe('南江县');
    expect(d.county.children.map((c: any) => c.code)).toEqual(['511922105000']);
    expect(d.other).toBeNull();
    expect(d.far).toBeNull();
    const f = (await env.gql('finance', `{ regions(parentCode: "511922105000") { code } }`)).data.regions;
    expect(f).toHaveLength(8);
  });
});
