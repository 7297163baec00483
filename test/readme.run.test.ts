/**
 * Every example in the README, run against a fresh demo (not only validated against the schema): each
 * GraphQL block with the demo token named before it, the curl example, the downloads and the inline
 * journalVerify. The demo runs on the README's day (CLOCK_TODAY=2026-11-22, as the README tells readers to
 * start it); a failing example is a README that lies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import type { App } from '../src/server/app';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { createTestDb, TestDb } from './helpers';
import { loadDemo } from '../seeds/demo';
import { createApp } from '../src/server/app';
import { pinnedClock } from '../src/server/demoClock';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
export const README_DAY = '2026-11-22';

const ROOT = path.join(__dirname, '..');

/** The last demo token the README names before a position. */
function tokenBefore(at: number): string | null {
  const tokens = [...README.slice(0, at).matchAll(/`(demo-[a-z]+-[a-z]+)`/g)];
  return tokens.length ? tokens[tokens.length - 1][1] : null;
}

/** The README in order: code blocks with the last demo token named before each. */
function examples(): { lang: string; code: string; token: string | null; at: number }[] {
  const out: { lang: string; code: string; token: string | null; at: number }[] = [];
  const re = /```(\w+)\n([\s\S]*?)```/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(README))) {
    const before = README.slice(0, m.index);
    const tokens = [...before.matchAll(/`(demo-[a-z]+-[a-z]+)`/g)];
    out.push({ lang: m[1], code: m[2], token: tokens.length ? tokens[tokens.length - 1][1] : null, at: m.index });
  }
  return out;
}

/** Operations of a block: each starts at a line beginning with query, mutation or {. */
const operations = (block: string) => block.split(/\n(?=(?:query|mutation|\{))/).map((s) => s.trim()).filter(Boolean);

let t: TestDb;
let app: App;
beforeAll(async () => {
  t = await createTestDb();
  const clock = pinnedClock(README_DAY);
  await loadDemo(t.db, clock);
  app = createApp({ db: t.db, clock });
});
afterAll(() => t.destroy());

const post = (token: string | null, body: object) => {
  const req = request(app).post('/graphql').set('content-type', 'application/json');
  if (token) req.set('authorization', `Bearer ${token}`);
  return req.send(body).then((r) => r.body);
};

/** No top-level errors, and every mutation payload's `errors` empty. */
function expectClean(body: any, what: string): void {
  expect({ what, errors: body.errors ?? [] }).toEqual({ what, errors: [] });
  for (const [field, value] of Object.entries(body.data ?? {})) {
    const payloadErrors = (value as any)?.errors;
    if (Array.isArray(payloadErrors)) expect({ what, field, errors: payloadErrors }).toEqual({ what, field, errors: [] });
  }
}

/** A README curl: JSON with -d, or a GraphQL multipart upload with -F operations/map/0=@file. */
async function runCurl(curl: string): Promise<any> {
  const token = /Bearer ([\w-]+)/.exec(curl)?.[1] ?? null;
  const json = /-d '([^']+)'/.exec(curl)?.[1];
  if (json) return post(token, JSON.parse(json));
  const operations = /-F operations='([^']+)'/.exec(curl)![1];
  const map = /-F map='([^']+)'/.exec(curl)![1];
  const file = /-F 0=@(\S+)/.exec(curl)![1];
  const req = request(app).post('/graphql');
  if (token) req.set('authorization', `Bearer ${token}`);
  const res = await req.field('operations', operations).field('map', map).attach('0', path.join(ROOT, file));
  return res.body;
}

describe('README examples run against a fresh demo', () => {
  it('finds the examples', () => {
    expect(examples().filter((e) => e.lang === 'graphql').length).toBeGreaterThanOrEqual(7);
  });

  it('runs them in order, each with its role, without an error', async () => {
    let ran = 0;
    for (const ex of examples()) {
      if (ex.lang === 'graphql') {
        for (const op of operations(ex.code)) {
          expectClean(await post(ex.token, { query: op }), op.slice(0, 80));
          ran++;
        }
      } else if (ex.lang === 'sh') {
        for (const curl of ex.code.replace(/\\\n\s*/g, ' ').split('\n').filter((c) => c.startsWith('curl '))) {
          expectClean(await runCurl(curl), curl.slice(0, 80));
          ran++;
        }
      }
    }
    expect(ran).toBeGreaterThanOrEqual(12);
  });

  it('serves every download the README names, with the token named before it', async () => {
    const downloads = [...README.matchAll(/`GET (\/exports\/[^`]+)`/g)].map((m) => ({ p: m[1], token: tokenBefore(m.index!) }));
    expect(downloads.length).toBeGreaterThanOrEqual(6);
    for (const { p, token } of downloads) {
      const req = request(app).get(p);
      if (token && !p.startsWith('/exports/templates/')) req.set('authorization', `Bearer ${token}`);
      const res = await req;
      expect({ p, status: res.status }).toEqual({ p, status: 200 });
      expect(Number(res.headers['content-length'] ?? 1) > 0 || res.text?.length > 0 || res.body).toBeTruthy();
    }
  });

  it('runs the npm run import commands against a demo database', async () => {
    const commands = [...README.matchAll(/^npm run import -- (.+)$/gm)].map((m) => m[1].split(/\s+/));
    expect(commands.length).toBeGreaterThanOrEqual(2);
    // The CLI is a process of its own: it gets a demo in an SQLite file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-readme-'));
    const file = path.join(dir, 'demo.sqlite');
    // SQLite even when the suite runs on PostgreSQL: an empty databaseUrl overrides DATABASE_URL.
    const db = createDb({ sqliteFile: file, databaseUrl: '' });
    await migrateLatest(db);
    await loadDemo(db, pinnedClock(README_DAY));
    await db.destroy();
    try {
      for (const args of commands) {
        const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/import.ts', ...args, '--quiet'], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file, CLOCK_TODAY: README_DAY },
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 0, stderr: '' });
        expect(r.stdout).toMatch(args.includes('--dry-run') ? /Dry run: 4 rows checked, no errors/ : /Imported 4 assets/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('runs the inline examples', async () => {
    const inline = [...README.matchAll(/`(\{ journalVerify[^`]+\})`/g)].map((m) => m[1]);
    expect(inline).toHaveLength(1);
    const body = await post('demo-finance-nanjiang', { query: inline[0] });
    expectClean(body, inline[0]);
    expect(body.data.journalVerify.intact).toBe(true);
  });
});
