/** GraphiQL served from the server itself, and the demo's pinned "today" (issue 13). */
import request from 'supertest';
import { createTestDb, setup, TestEnv } from './helpers';
import { createApp } from '../src/server/app';
import { chooseClock, pinnedClock } from '../src/server/demoClock';
import { DEMO_TOKENS, loadDemo } from '../seeds/demo';

describe('GraphiQL', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());

  it('is one page with everything inlined: no script, style or worker from another host', async () => {
    const app = createApp({ db: env.db, clock: env.clock, graphiqlTokens: { finance: 'tok-f', clerk: 'tok-c', reviewer: 'tok-r', planner: 'tok-p' } });
    const res = await request(app).get('/graphql').set('accept', 'text/html');
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href="https?:/i);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|googleapis/);
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    // The example tabs, one per user group, each with its token.
    for (const name of ['CountyRegister', 'VillageRegister', 'PlansToReview', 'IdleAssets']) expect(html).toContain(`query ${name}`);
    for (const token of ['tok-f', 'tok-c', 'tok-r', 'tok-p']) expect(html).toContain(`Bearer ${token}`);
  });

  it('opens without tokens when the demo is off', async () => {
    const res = await request(env.app).get('/graphql').set('accept', 'text/html');
    expect(res.text).toContain('query CountyRegister');
    expect(res.text).not.toContain('Bearer ');
  });
});

describe('CLOCK_TODAY', () => {
  it('pins today for the demo database, and is ignored outside the demo', async () => {
    const t = await createTestDb();
    try {
      // An empty database is about to become the demo: honoured.
      let c = await chooseClock(t.db, { CLOCK_TODAY: '2026-11-22' });
      expect(c.pinned).toBe('2026-11-22');
      expect(c.clock.today()).toBe('2026-11-22');
      expect(c.clock.now().slice(0, 10) <= '2026-11-22').toBe(true);
      await loadDemo(t.db, c.clock);
      c = await chooseClock(t.db, { CLOCK_TODAY: '2026-12-01' });
      expect(c.clock.today()).toBe('2026-12-01');
      expect((await chooseClock(t.db, { CLOCK_TODAY: '2026-12-01', DEMO: 'off' })).ignored).toBe('DEMO is off');
      expect((await chooseClock(t.db, {})).pinned).toBeNull();
      await expect(chooseClock(t.db, { CLOCK_TODAY: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
      // A database that is not the demo's (the demo users gone): ignored.
      await t.db('api_tokens').where({ label: 'demo' }).del();
      const real = await chooseClock(t.db, { CLOCK_TODAY: '2026-12-01' });
      expect(real).toMatchObject({ pinned: null, ignored: 'the database is not the demo' });
      expect(DEMO_TOKENS.COUNTY_FINANCE).toBeDefined();
    } finally {
      await t.destroy();
    }
  }, 180_000); // loads the whole demo: slow on a busy PostgreSQL

  it('keeps the date in China Standard Time whatever the hour', () => {
    for (const hour of ['00:30:00', '15:59:00', '16:30:00', '23:59:00']) {
      const system = { now: () => `2026-01-01T${hour}.000Z`, today: () => '' };
      const c = pinnedClock('2026-11-22', system);
      expect(c.today()).toBe('2026-11-22');
      const cst = new Date(Date.parse(c.now()) + 8 * 3600_000).toISOString().slice(0, 10);
      expect(cst).toBe('2026-11-22');
    }
  });
});
