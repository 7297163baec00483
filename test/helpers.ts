/**
 * Test harness: every test file gets its own fresh database — an in-memory SQLite database, or, when
 * DATABASE_URL is set, a new PostgreSQL database created for the file and dropped after it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import knex, { Knex } from 'knex';
import request from 'supertest';
import type { App } from '../src/server/app';
import { createDb, Db } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { grantApplicationRights } from '../src/db/roles';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import type { Role } from '../src/modules/auth/auth.types';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { collectiveOf } from '../src/modules/parties/parties.service';
import type { ServiceContext } from '../src/shared/context';
import { REGIONS, V, YUNDING } from '../seeds/demo-data';

export const onPostgres = !!process.env.DATABASE_URL;

export interface TestDb {
  /** The owner's connection: migrations, arranging data, tampering as a database administrator would. */
  db: Db;
  /**
   * The application's connection: on PostgreSQL with DATABASE_APP_ROLE ("name:password") set, a role
   * without DDL, trigger control or UPDATE/DELETE on append-only tables; otherwise the same as db.
   */
  appDb: Db;
  /**
   * What a server process (src/server/main.ts) needs in its environment to reach this same database: the
   * SQLite file (when createTestDb was given one), or DATABASE_URL (the application role, when
   * DATABASE_APP_ROLE is set) and MIGRATION_DATABASE_URL (the owner). Null for an in-memory database.
   */
  serverEnv: Record<string, string> | null;
  destroy(): Promise<void>;
}

export interface TestDbOptions {
  /** SQLite only: a database file instead of memory, so that server processes can open it too. */
  sqliteFile?: string;
}

export async function createTestDb(opts: TestDbOptions = {}): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const file = opts.sqliteFile;
    const db = createDb({ sqliteFile: file ?? ':memory:' });
    await migrateLatest(db);
    const removeFile = () => {
      if (file) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    };
    return { db, appDb: db, serverEnv: file ? { SQLITE_FILE: file } : null, destroy: async () => { await db.destroy(); removeFile(); } };
  }
  const name = `bf_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  // Administer from the maintenance database, so that recreating DATABASE_URL's own database (as
  // shared/ci/postgres.sh does) never cuts a running test file off.
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin: Knex = knex({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = createDb({ databaseUrl: u.toString() });
  await migrateLatest(db);
  const appDb = await applicationConnection(db, u);
  return {
    db,
    appDb,
    serverEnv: { DATABASE_URL: applicationUrl(u)?.toString() ?? u.toString(), MIGRATION_DATABASE_URL: u.toString() },
    destroy: async () => {
      if (appDb !== db) await appDb.destroy();
      await db.destroy();
      try {
        // FORCE cannot terminate an autovacuum worker that happens to be in the database (it belongs to the
        // superuser): wait for it to leave and try again.
        for (let attempt = 1; ; attempt++) {
          try {
            await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (err) {
            if (attempt >= 20 || !/pg_signal_backend|being accessed by other users/.test(String(err))) throw err;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
      } finally {
        await admin.destroy();
      }
    },
  };
}

/** The restricted application role's connection to a test database (DATABASE_APP_ROLE), after its grants. */
async function applicationConnection(owner: Db, url: URL): Promise<Db> {
  const spec = process.env.DATABASE_APP_ROLE;
  if (!spec) return owner;
  const [role] = spec.split(':');
  await grantApplicationRights(owner, role);
  return createDb({ databaseUrl: applicationUrl(url)!.toString() });
}

/** The database's URL with the application role of DATABASE_APP_ROLE, or null when it is not set. */
function applicationUrl(url: URL): URL | null {
  const spec = process.env.DATABASE_APP_ROLE;
  if (!spec) return null;
  const [role, password = role] = spec.split(':');
  const appUrl = new URL(url.toString());
  appUrl.username = role;
  appUrl.password = password;
  return appUrl;
}

/** Tokens of the test users: one per role, plus a clerk of a second village and a reviewer of another township. */
export const TOKENS = {
  admin: 'test-admin-token',
  finance: 'test-county-finance',
  planner: 'test-county-planner',
  reviewer: 'test-township-reviewer',
  clerk: 'test-clerk-chaping',
  otherClerk: 'test-clerk-jintai',
  otherReviewer: 'test-reviewer-changchi',
  jiangeFinance: 'test-finance-jiange',
  liangyaClerk: 'test-clerk-liangya',
} as const;
export type TokenName = keyof typeof TOKENS;

const USERS: { token: TokenName; role: Role; region: string; name: string }[] = [
  { token: 'admin', role: 'ADMIN', region: '510000000000', name: '管理员' },
  { token: 'finance', role: 'COUNTY_FINANCE', region: '511922000000', name: '县财政' },
  { token: 'planner', role: 'COUNTY_PLANNER', region: '511922000000', name: '县规划' },
  { token: 'reviewer', role: 'TOWNSHIP_REVIEWER', region: YUNDING, name: '镇审核' },
  { token: 'clerk', role: 'VILLAGE_CLERK', region: V.chaping, name: '茶坪村会计' },
  { token: 'otherClerk', role: 'VILLAGE_CLERK', region: V.jintai, name: '金台村会计' },
  { token: 'otherReviewer', role: 'TOWNSHIP_REVIEWER', region: '511922102000', name: '长赤镇审核' },
  { token: 'jiangeFinance', role: 'COUNTY_FINANCE', region: '510823000000', name: '剑阁县财政' },
  { token: 'liangyaClerk', role: 'VILLAGE_CLERK', region: V.liangya, name: '亮垭村会计' },
];

export const TEST_NOW = '2026-11-22T02:00:00.000Z';

export interface TestEnv {
  db: Db;
  app: App;
  /** See TestDb.serverEnv. */
  serverEnv: Record<string, string> | null;
  clock: ReturnType<typeof fixedClock>;
  userIds: Record<TokenName, number>;
  /** Posts a GraphQL operation with the named user's token (or none). Returns the parsed body. */
  gql(token: TokenName | null, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** A service context acting as the named user, for arranging data without going through HTTP. */
  svc(token: TokenName, db?: Db): ServiceContext;
  close(): Promise<void>;
}

/** A fresh database with the demo regions and one user per role; no households, projects or assets. */
export async function setup(opts: TestDbOptions = {}): Promise<TestEnv> {
  const { db, appDb, serverEnv, destroy } = await createTestDb(opts);
  const clock = fixedClock(TEST_NOW);
  await insertRegions(
    db,
    REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })),
  );
  // Every village has its collective (村集体经济组织) from the start, as in a real county: naming another
  // village's collective never creates it as a side effect (issue 8).
  for (const r of REGIONS) if (r.level === 'VILLAGE') await collectiveOf(db, clock, r.code);
  const userIds = {} as Record<TokenName, number>;
  for (const u of USERS) {
    const { userId } = await createUserWithToken(db, { name: u.name, role: u.role, regionCode: u.region, token: TOKENS[u.token] }, clock.now());
    userIds[u.token] = userId;
  }
  // No token cache in the shared test app: a test counting the queries of two requests must not see one
  // lookup more or less depending on how long the work between them took (test/auth.tokenCache.test.ts
  // tests the cache with an injected clock).
  const app = createApp({ db: appDb, clock, tokenCache: { ttlMs: 0 } });
  return {
    db,
    app,
    serverEnv,
    clock,
    userIds,
    async gql(token, query, variables) {
      const req = request(app).post('/graphql').set('content-type', 'application/json');
      if (token) req.set('authorization', `Bearer ${TOKENS[token]}`);
      const res = await req.send({ query, variables });
      return res.body;
    },
    svc(token, on = db) {
      const u = USERS.find((x) => x.token === token)!;
      return { db: on, clock, actor: toActor({ id: userIds[token], name: u.name, role: u.role, region_code: u.region }) };
    },
    close: destroy,
  };
}

/** Row count of a table, for "nothing was written" assertions. */
export async function count(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const r = await db(table).where(where).count({ n: '*' }).first();
  return Number(r?.n ?? 0);
}

/** Counts of every table that a mutation could write, to compare before and after a rejection. */
export async function snapshot(db: Db, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = await count(db, t);
  return out;
}

/** Counts SQL statements issued while `fn` runs. */
export async function countQueries<T>(db: Db, fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  let queries = 0;
  const listener = () => queries++;
  db.on('query', listener);
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    db.removeListener('query', listener);
  }
}

export const gidNum = (gid: string) => Number(gid.split(':')[1]);

/** The error message a query fails with (knex builders are thenables; awaiting them explicitly is reliable). */
export async function failureOf(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

