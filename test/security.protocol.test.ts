/**
 * Issue 8, items 11–14: request body limit, CORS, error details, introspection policy and the
 * authentication check of the operation that runs. Generated tables of hostile requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../src/server/app';
import { setup, TestEnv, TOKENS } from './helpers';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
});
afterAll(() => env.close());

const post = (app = env.app) => request(app).post('/graphql').set('content-type', 'application/json');

describe('request body limit (item 11)', () => {
  it.each([
    ['5 MB of variables', 5 * 1024 * 1024],
    ['just over 1 MB', 1024 * 1024 + 10],
  ])('answers 413 to %s, before executing anything', async (_label, size) => {
    const res = await post()
      .set('authorization', `Bearer ${TOKENS.clerk}`)
      .send({ query: '{ me { name } }', variables: { pad: 'a'.repeat(size) } });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.data).toBeUndefined();
  });

  it('answers 413 to a chunked body without Content-Length', async () => {
    const server = env.app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.write('{"query":"{ me { name } }","variables":{"pad":"');
        for (let i = 0; i < 40; i++) req.write('a'.repeat(64 * 1024));
        req.end('"}}');
      });
      expect(status).toBe(413);
    } finally {
      server.close();
    }
  });

  it('still serves a normal request and a configured larger limit', async () => {
    const res = await post().set('authorization', `Bearer ${TOKENS.clerk}`).send({ query: '{ me { name } }' });
    expect(res.body.data.me.name).toBe('茶坪村会计');
    const roomy = createApp({ db: env.db, clock: env.clock, protocol: { jsonBodyMaxBytes: 8 * 1024 * 1024 } });
    const big = await post(roomy)
      .set('authorization', `Bearer ${TOKENS.clerk}`)
      .send({ query: '{ me { name } }', variables: { pad: 'a'.repeat(2 * 1024 * 1024) } });
    // Parsed (not 413); the 2 MB string itself is then refused as too long for a read (item 10).
    expect(big.status).toBe(400);
    expect(big.body.errors[0].extensions.code).toBe('TOO_LONG');
  });
});

describe('CORS (item 12)', () => {
  const configured = () => createApp({ db: env.db, clock: env.clock, protocol: { corsOrigins: ['https://county.example.gov.cn'] } });

  it.each(['https://evil.example', 'null', 'http://localhost:4000.evil.example'])('gives origin %s no CORS headers, by default', async (origin) => {
    const pre = await request(env.app).options('/graphql').set('origin', origin).set('access-control-request-method', 'POST');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    const res = await post().set('origin', origin).set('authorization', `Bearer ${TOKENS.clerk}`).send({ query: '{ me { name } }' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('allows a configured origin, and only that one', async () => {
    const app = configured();
    const ok = await request(app).options('/graphql').set('origin', 'https://county.example.gov.cn').set('access-control-request-method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://county.example.gov.cn');
    const other = await request(app).options('/graphql').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('error details (item 13)', () => {
  it.each(['{"query": "{ me { name } ', '{', '[1,', '{"query": 12}', 'not json'])('answers malformed body %j without parser internals', async (raw) => {
    const res = await post().set('authorization', `Bearer ${TOKENS.clerk}`).send(raw);
    expect(res.status).toBeGreaterThanOrEqual(400);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('originalError');
    expect(text).not.toContain('position');
    expect(text).not.toContain('stack');
  });
});

describe('introspection and the authentication check (item 14)', () => {
  const INTRO = '{ __schema { queryType { name } } }';

  it('public policy (default): anonymous introspection works, anything else does not', async () => {
    expect((await env.gql(null, INTRO)).data.__schema.queryType.name).toBe('Query');
  });

  it('authenticated policy: anonymous introspection is refused, a signed-in user may introspect', async () => {
    const app = createApp({ db: env.db, clock: env.clock, protocol: { introspection: 'authenticated' } });
    const anon = await post(app).send({ query: INTRO });
    expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anon.body.data ?? null).toBeNull();
    const signed = await post(app).set('authorization', `Bearer ${TOKENS.clerk}`).send({ query: INTRO });
    expect(signed.body.data.__schema.queryType.name).toBe('Query');
  });

  // The document's first operation is harmless introspection; the one that runs (operationName) is not.
  const SMUGGLED: [string, string, string][] = [
    ['query A { __typename } query B { me { name } }', 'B', 'me'],
    ['query A { __schema { queryType { name } } } query B { regions(parentCode: "510000000000") { code } }', 'B', 'regions'],
    ['query A { __typename } query B { ...F } fragment F on Query { me { name } }', 'B', 'me'],
    ['query A { __typename } query B { journalVerify { intact } }', 'B', 'journalVerify'],
  ];
  it.each(SMUGGLED)('checks the operation that runs: %s (%s)', async (query, operationName, field) => {
    const res = await post().send({ query, operationName });
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Refused by the authentication check before execution, not by a resolver half-way (which has a path).
    expect(res.body.errors[0].path).toBeUndefined();
    expect(res.body.data?.[field] ?? null).toBeNull();
  });

  // The operation and its strings are kept per parsed document (protocol.ts): the same text run first as A
  // (allowed) must still be checked as B when B is asked for next.
  it('checks the operation that runs when the same document was just run as another operation', async () => {
    const app = createApp({ db: env.db, clock: env.clock });
    const query = 'query A { __typename } query B { me { name } }';
    expect((await post(app).send({ query, operationName: 'A' })).body.data.__typename).toBe('Query');
    const res = await post(app).send({ query, operationName: 'B' });
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.data?.me ?? null).toBeNull();
  });
});
