/**
 * Issue 16: the token → actor cache of /graphql and its revocation bound. A token revoked (or a user changed)
 * in the database stops working within the cache's lifetime; forgetting the token makes it immediate. The
 * cache's clock is injected: no timed assertions.
 */
import request from 'supertest';
import { createApp, DEFAULT_TOKEN_CACHE_MS } from '../src/server/app';
import { hashToken } from '../src/modules/auth/auth.service';
import { countQueries, setup, TestEnv, TOKENS } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const me = (app: ReturnType<typeof createApp>, token: string) =>
  request(app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send({ query: '{ me { name role } }' });

function appWithClock(ttlMs = 5_000) {
  let t = 1_000_000;
  const app = createApp({ db: env.db, clock: env.clock, tokenCache: { ttlMs, now: () => t } });
  return { app, advance: (ms: number) => (t += ms) };
}

const revoke = (token: string, revoked: string | null = env.clock.now()) =>
  env.db('api_tokens').where({ token_hash: hashToken(token) }).update({ revoked_at: revoked });

describe('token cache (issue 16)', () => {
  afterEach(() => revoke(TOKENS.reviewer, null));

  it('serves a cached actor without a lookup, and a revoked token stops working once its entry expires', async () => {
    const { app, advance } = appWithClock(5_000);
    expect((await me(app, TOKENS.reviewer)).body.data.me.name).toBe('镇审核');
    // Cached: the second request reads no token.
    const { result, queries } = await countQueries(env.db, () => me(app, TOKENS.reviewer));
    expect(result.body.data.me.name).toBe('镇审核');
    expect(queries).toBe(0);

    await revoke(TOKENS.reviewer);
    // Within the bound the entry still answers (the stated revocation delay)…
    advance(4_999);
    expect((await me(app, TOKENS.reviewer)).body.data.me.name).toBe('镇审核');
    // …and past it the token is refused.
    advance(2);
    const refused = (await me(app, TOKENS.reviewer)).body;
    expect(refused.data?.me ?? null).toBeNull();
    expect(refused.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('forgets a token at once when told (revocation inside this process)', async () => {
    const { app } = appWithClock(60_000);
    expect((await me(app, TOKENS.reviewer)).body.data.me.name).toBe('镇审核');
    await revoke(TOKENS.reviewer);
    app.tokenCache.forget(TOKENS.reviewer);
    expect((await me(app, TOKENS.reviewer)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('sees a changed role after the bound, and never caches an unknown token', async () => {
    const { app, advance } = appWithClock(5_000);
    expect((await me(app, TOKENS.planner)).body.data.me.role).toBe('COUNTY_PLANNER');
    const id = env.userIds.planner;
    await env.db('users').where({ id }).update({ role: 'COUNTY_FINANCE' });
    try {
      expect((await me(app, TOKENS.planner)).body.data.me.role).toBe('COUNTY_PLANNER');
      advance(5_001);
      expect((await me(app, TOKENS.planner)).body.data.me.role).toBe('COUNTY_FINANCE');
    } finally {
      await env.db('users').where({ id }).update({ role: 'COUNTY_PLANNER' });
    }
    // An unknown token is looked up every time (a spray of random tokens fills nothing).
    for (let i = 0; i < 2; i++) {
      const { result, queries } = await countQueries(env.db, () => me(app, 'no-such-token-123'));
      expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(queries).toBe(1);
    }
  });

  it('with a lifetime of 0 looks the token up on every request', async () => {
    const { app } = appWithClock(0);
    expect((await me(app, TOKENS.reviewer)).body.data.me.name).toBe('镇审核');
    await revoke(TOKENS.reviewer);
    expect((await me(app, TOKENS.reviewer)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('has the documented default bound', () => {
    expect(DEFAULT_TOKEN_CACHE_MS).toBe(5_000);
  });
});
