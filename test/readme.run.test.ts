/**
 * Every example in the README, run against a fresh demo (not only validated against the schema): each
 * GraphQL block with the demo token named before it, the curl example, the downloads and the inline
 * journalVerify. The demo runs on the README's day (CLOCK_TODAY=2026-11-22, as the README tells readers to
 * start it); a failing example is a README that lies.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createTestDb, TestDb } from './helpers';
import { loadDemo } from '../seeds/demo';
import { createApp } from '../src/server/app';
import { pinnedClock } from '../src/server/demoClock';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
export const README_DAY = '2026-11-22';

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
let app: Express;
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
        // curl … -H 'authorization: Bearer TOKEN' -d '{json}'
        for (const curl of ex.code.split(/\n(?=curl )/).filter((c) => c.startsWith('curl '))) {
          const token = /Bearer ([\w-]+)/.exec(curl)?.[1] ?? null;
          const body = /-d '([^']+)'/.exec(curl)?.[1];
          if (!body) continue;
          expectClean(await post(token, JSON.parse(body)), curl.slice(0, 80));
          ran++;
        }
      }
    }
    expect(ran).toBeGreaterThanOrEqual(12);
  });

  it('serves every download the README names', async () => {
    const paths = [...README.matchAll(/`GET (\/exports\/[^`]+)`/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const p of paths) {
      const full = p.startsWith('/exports/distribution-plans') || p.includes('…') ? p : p;
      // "…/audit.xlsx" after a full path means the same directory.
      const res = await request(app).get(full).set('authorization', 'Bearer demo-finance-jiange');
      if (res.status === 404 && full.startsWith('/exports/register')) {
        const again = await request(app).get(full).set('authorization', 'Bearer demo-finance-nanjiang');
        expect({ p, status: again.status }).toEqual({ p, status: 200 });
      } else {
        expect({ p, status: res.status }).toEqual({ p, status: 200 });
      }
    }
  });

  it('runs the inline examples', async () => {
    const inline = [...README.matchAll(/`(\{ journalVerify[^`]+\})`/g)].map((m) => m[1]);
    expect(inline).toHaveLength(1);
    const body = await post('demo-finance-nanjiang', { query: inline[0] });
    expectClean(body, inline[0]);
    expect(body.data.journalVerify.intact).toBe(true);
  });
});
