/**
 * `npm run verify` as an auditor runs it: a separate process against the database (a SQLite file, or the
 * test's PostgreSQL database), exiting 0 when intact and 1 with the first failing entry when not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createDb, Db } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { createTestDb, onPostgres } from './helpers';
import { fixedClock } from '../src/shared/clock';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { postEntry } from '../src/modules/journal/journal.service';
import { requestFingerprint } from '../src/modules/journal/journal.hash';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';
import { REGIONS, V } from '../seeds/demo-data';

const ROOT = path.join(__dirname, '..');
let db: Db;
let childEnv: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (onPostgres) {
    const t = await createTestDb();
    db = t.db;
    const { rows } = await db.raw('select current_database() as name');
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${rows[0].name}`;
    childEnv = { ...process.env, DATABASE_URL: url.toString() };
    cleanup = t.destroy;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-verify-'));
    const file = path.join(dir, 'ledger.sqlite');
    db = createDb({ sqliteFile: file });
    await migrateLatest(db);
    const { DATABASE_URL: _unused, ...rest } = process.env;
    childEnv = { ...rest, SQLITE_FILE: file };
    cleanup = async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const clock = fixedClock('2026-11-22T02:00:00.000Z');
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: '县财政', role: 'COUNTY_FINANCE', regionCode: '511922000000' }, clock.now());
  const actor = toActor({ id: userId, name: '县财政', role: 'COUNTY_FINANCE', region_code: '511922000000' });
  const payer = await partiesRepo.insert(db, { kind: 'COMPANY', name: '付款方', regionCode: '511922000000', createdAt: clock.now() });
  const village = await partiesRepo.insert(db, { kind: 'VILLAGE_COLLECTIVE', name: '茶坪村股份经济合作社', regionCode: V.chaping, createdAt: clock.now() });
  for (let i = 1; i <= 5; i++) {
    await db.transaction((trx) =>
      postEntry({ db: trx, clock, actor }, {
        kind: 'INCOME',
        effectiveOn: '2025-01-31',
        memo: `第${i}笔租金`,
        idempotencyKey: `cli-${i}`,
        requestFingerprint: requestFingerprint('test', userId, { i }),
        postings: [
          { holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1000 * i },
          { holderPartyId: village, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 1000 * i },
        ],
      }),
    );
  }
});
afterAll(() => cleanup());

function runVerify(...args: string[]) {
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'cli', 'verify.ts'), ...args], {
    cwd: ROOT,
    env: childEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

it('exits 0 and prints the head of an intact journal', () => {
  const r = runVerify();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^journal intact \(台账完好\): 5 entries, head #5 [0-9a-f]{64}/);
  const json = JSON.parse(runVerify('--json', '--batch', '2').stdout);
  expect(json).toMatchObject({ intact: true, count: 5, headSequence: 5 });
});

it('exits 1 and names the first altered entry', async () => {
  await dropAppendOnly(db, 'journal_postings');
  const row = await db('journal_entries').where({ sequence: 3 }).first();
  await db.raw('UPDATE journal_postings SET amount_fen = amount_fen * 10 WHERE entry_id = ?', [row.id]);
  try {
    const r = runVerify();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('journal BROKEN (台账被篡改): HASH_MISMATCH at entry #3');
    expect(r.stdout).toContain(`stored:   ${row.hash}`);
    const json = JSON.parse(runVerify('--json').stdout);
    expect(json).toMatchObject({ intact: false, count: 2, failure: { problem: 'HASH_MISMATCH', sequence: 3, entryId: row.id, stored: row.hash } });
  } finally {
    await db.raw('UPDATE journal_postings SET amount_fen = amount_fen / 10 WHERE entry_id = ?', [row.id]);
    await makeAppendOnly(db, 'journal_postings');
  }
  expect(runVerify().status).toBe(0);
});

it('exits 1 and names a running balance that disagrees with its postings (issue 16)', async () => {
  const row = await db('account_balances').orderBy('account_id').first();
  await db('account_balances').where({ account_id: row.account_id }).update({ balance_fen: Number(row.balance_fen) + 100 });
  try {
    const r = runVerify();
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('journal BROKEN (台账被篡改): DOMAIN_MISMATCH');
    expect(r.stdout).toContain(`Account #${row.account_id}`);
    expect(JSON.parse(runVerify('--json').stdout)).toMatchObject({ intact: false, failure: { problem: 'DOMAIN_MISMATCH', expected: `account_balances #${row.account_id}` } });
  } finally {
    await db('account_balances').where({ account_id: row.account_id }).update({ balance_fen: row.balance_fen });
  }
  expect(runVerify().status).toBe(0);
});

it('exits 2 when it cannot run', () => {
  const r = runVerify('--batch', 'x');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('--batch must be a positive integer');
});
