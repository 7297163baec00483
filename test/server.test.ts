import request from 'supertest';
import { setup, TestEnv, count, createTestDb, onPostgres } from './helpers';
import { createProject, registerAsset } from './fixtures';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { systemClock } from '../src/shared/clock';
import { createApp } from '../src/server/app';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

describe('HTTP surface', () => {
  it('answers /healthz', async () => {
    const res = await request(env.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves GraphiQL on /graphql for a browser', async () => {
    const res = await request(env.app).get('/graphql').set('accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/GraphiQL|graphiql/);
  });

  it('refuses a query nested deeper than the limit', async () => {
    const deep = `{ region(code: "511922000000") { ${'children { '.repeat(14)}code${' }'.repeat(14)} } }`;
    const body = await env.gql('finance', deep);
    expect(body.data ?? null).toBeNull();
    expect(body.errors[0].message).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const many = `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: me { name }`).join(' ')} }`;
    const body = await env.gql('finance', many);
    expect(body.errors[0].message).toMatch(/alias/i);
  });

  it('masks internal faults: no stack trace, no SQL', async () => {
    const t = await setup();
    try {
      const project = await createProject(t);
      const asset = await registerAsset(t, project.id);
      // Provoke a real database fault. PostgreSQL refuses to drop a table others reference (documents.event_id)
      // unless told to cascade; SQLite has no CASCADE and does not check.
      if (onPostgres) await t.db.raw('DROP TABLE asset_events CASCADE');
      else await t.db.schema.dropTable('asset_events');
      const body = await t.gql('finance', `query($id: ID!) { asset(id: $id) { name events { action } } }`, { id: asset.id });
      const text = JSON.stringify(body);
      expect(body.errors[0].message).toBe('Unexpected error.');
      expect(text).not.toMatch(/asset_events|select|stack|at .*\.ts/i);
    } finally {
      await t.close();
    }
  });
});

describe('append-only history tables', () => {
  it.each(['asset_events', 'audit_log'])('rejects raw UPDATE and DELETE on %s', async (table) => {
    const project = await createProject(env);
    await registerAsset(env, project.id);
    const n = await count(env.db, table);
    expect(n).toBeGreaterThan(0);
    await expect(env.db(table).update({ recorded_at: '2000-01-01T00:00:00.000Z' })).rejects.toMatchObject({ message: expect.stringMatching(/APPEND_ONLY/) });
    await expect(env.db(table).del()).rejects.toMatchObject({ message: expect.stringMatching(/APPEND_ONLY/) });
    expect(await count(env.db, table)).toBe(n);
  });
});

describe('demo seed', () => {
  it('loads the demo county through the services, consistently', async () => {
    const t = await createTestDb();
    try {
      await loadDemo(t.db, systemClock);
      const app = createApp({ db: t.db });
      const gql = (token: string, query: string) =>
        request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query }).then((r) => r.body);
      const county = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ assets(first: 100) { totalCount nodes { status originalValue fundingLines { amount } events { action } } } households { totalCount } }`);
      const assets = county.data.assets.nodes;
      expect(county.data.assets.totalCount).toBeGreaterThanOrEqual(10);
      expect(county.data.households.totalCount).toBeGreaterThanOrEqual(200);
      for (const a of assets) {
        const lines = a.fundingLines.reduce((s: number, l: any) => s + Math.round(Number(l.amount) * 100), 0);
        expect(lines).toBe(Math.round(Number(a.originalValue) * 100));
        expect(a.events[0].action).toBe('REGISTER');
      }
      const statuses = new Set(assets.map((a: any) => a.status));
      for (const s of ['IN_OPERATION', 'IN_USE', 'IDLE', 'REGISTERED']) expect(statuses).toContain(s);
      // 云顶镇's pooled assets are about 12 million yuan.
      const yunding = await gql(DEMO_TOKENS.TOWNSHIP_REVIEWER, `{ assets(filter: { class: OPERATING }, first: 100) { nodes { originalValue } } }`);
      const total = yunding.data.assets.nodes.reduce((s: number, a: any) => s + Number(a.originalValue), 0);
      expect(total).toBeGreaterThan(7_000_000);
      const kiwi = await gql(DEMO_TOKENS.LIANGYA_CLERK, `{ assets(filter: { text: "猕猴桃" }) { nodes { name status village { name } } } }`);
      expect(kiwi.data.assets.nodes).toEqual([{ name: '亮垭村红心猕猴桃产业园（350亩）', status: 'IN_OPERATION', village: { name: '亮垭村' } }]);
      for (const token of Object.values(DEMO_TOKENS)) {
        expect((await gql(token, '{ me { role } }')).data.me.role).toBeDefined();
      }
    } finally {
      await t.destroy();
    }
  });
});
