/**
 * G5 profile: the bench's arrangement (N households in 茶坪村, fresh income and a plan per round), with CPU
 * time per round and, with PROFILE_DIR set, a .cpuprofile of the last round's draft and execute.
 *   npx tsx scripts/perf-dist-profile.ts   (BENCH_HOUSEHOLDS=10000 ROUNDS=3 PROFILE_DIR=/tmp/x)
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import inspector from 'node:inspector';
import crypto from 'node:crypto';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { fixedClock } from '../src/shared/clock';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { postEntry } from '../src/modules/journal/journal.service';
import * as dist from '../src/modules/distribution/distribution.service';
import type { ServiceContext } from '../src/shared/context';
import { REGIONS, V } from '../seeds/demo-data';

const N = Number(process.env.BENCH_HOUSEHOLDS ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PROFILE_DIR = process.env.PROFILE_DIR;
const session = new inspector.Session();
session.connect();
const call = (m: string, p?: any) => new Promise<any>((res, rej) => session.post(m, p ?? {}, (e, r) => (e ? rej(e) : res(r))));

const sqlTime = new Map<string, { n: number; ms: number }>();
const started = new Map<string, bigint>();
function timeSql(db: any) {
  if (!process.env.PERF_SQL) return;
  db.on('query', (q: any) => started.set(q.__knexQueryUid, process.hrtime.bigint()));
  db.on('query-response', (_r: any, q: any) => {
    const shape = String(q.sql).replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)').replace(/\?(, \?)+/g, '…').slice(0, 110);
    const t = sqlTime.get(shape) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += Number(process.hrtime.bigint() - started.get(q.__knexQueryUid)!) / 1e6;
    sqlTime.set(shape, t);
  });
}
function showSql(label: string) {
  if (!process.env.PERF_SQL) return;
  for (const [shape, t] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(`  ${label} ${t.ms.toFixed(1).padStart(7)} ms ${String(t.n).padStart(4)}× ${shape}`);
  console.log(`  ${label} statements: ${[...sqlTime.values()].reduce((n, t) => n + t.n, 0)}`);
}

async function time<T>(label: string, profile: boolean, fn: () => Promise<T>): Promise<[T, number, number]> {
  if (profile) { await call('Profiler.enable'); await call('Profiler.setSamplingInterval', { interval: 200 }); await call('Profiler.start'); }
  sqlTime.clear();
  const c = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const u = process.cpuUsage(c);
  if (profile) { const { profile: p } = await call('Profiler.stop'); fs.writeFileSync(path.join(PROFILE_DIR!, `${label}.cpuprofile`), JSON.stringify(p)); }
  if (label === 'draft' || label === 'execute') showSql(label);
  return [r, (u.user + u.system) / 1e3, wall];
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-prof-'));
  const db = createDb(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { sqliteFile: path.join(dir, 'bench.sqlite'), databaseUrl: '' });
  await migrateLatest(db);
  timeSql(db);
  const clock = fixedClock('2026-11-22T02:00:00.000Z');
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: 'bench', role: 'ADMIN', regionCode: '510000000000' }, clock.now());
  const actor = toActor({ id: userId, name: 'bench', role: 'ADMIN', region_code: '510000000000' });
  const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });
  let payerId = 0;
  let collectiveId = 0;
  await db.transaction(async (trx) => {
    const now = clock.now();
    for (let i = 0; i < N; i += 400) {
      const rows = Array.from({ length: Math.min(400, N - i) }, (_, k) => ({ village_code: V.chaping, head_name: `户${i + k}`, id_number: `B${String(i + k).padStart(17, '0')}`, member_count: 1 + ((i + k) % 5), status: 'FORMERLY_POOR', created_at: now, updated_at: now }));
      const ids = await trx('households').insert(rows).returning('id');
      await trx('household_status_changes').insert(ids.map((x: any) => ({ household_id: x.id ?? x, status: 'FORMERLY_POOR', effective_on: '2010-12-31', actor_user_id: userId, recorded_at: now })));
    }
    collectiveId = (await collectiveOf(trx, clock, V.chaping)).id;
    payerId = await partiesRepo.insert(trx, { kind: 'COMPANY', name: '经营方', regionCode: '511922000000', createdAt: now });
  });
  const householdIds: number[] = (await db('households').select('id').orderBy('id')).map((r: any) => r.id);
  for (let round = 0; round < ROUNDS; round++) {
    const y = 2012 + round;
    const prof = !!PROFILE_DIR && round === ROUNDS - 1;
    await db.transaction((trx) =>
      postEntry(svc(trx), {
        kind: 'INCOME', effectiveOn: `${y}-06-30`, memo: `bench income ${y}`, idempotencyKey: `bench-income-${y}`,
        requestFingerprint: crypto.createHash('sha256').update(`bench-income-${y}`).digest('hex'),
        postings: [
          { holderPartyId: payerId, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1_000_000_000 },
          { holderPartyId: collectiveId, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 1_000_000_000 },
        ],
      } as any),
    );
    const [plan, dCpu, dWall] = await time('draft', prof, () =>
      db.transaction((trx) =>
        dist.createPlan(svc(trx), {
          villageCode: V.chaping, title: `bench ${y}`, periodFrom: `${y}-01-01`, periodTo: `${y}-12-31`, planOn: `${y + 1}-01-15`,
          lines: [
            // A line names at most 20,000 households: a larger village gets the 40% over several equal lines.
            ...Array.from({ length: Math.ceil(householdIds.length / 20_000) }, (_, k) => ({
              type: 'HOUSEHOLD_DIVIDEND',
              basis: 'PERCENT',
              percentBp: 4000 / Math.ceil(householdIds.length / 20_000),
              description: `分红 ${k + 1}`,
              recipients: householdIds.slice(k * 20_000, (k + 1) * 20_000).map((householdId) => ({ householdId })),
            })),
            { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累', recipients: [] },
          ],
        }),
      ),
    );
    const step = (fn: (s: ServiceContext, i: any) => Promise<unknown>, input: any) => db.transaction((trx) => fn(svc(trx), { planId: (plan as any).id, ...input }));
    for (const [s, d] of [['PARTY_BRANCH_PROPOSAL', 16], ['TWO_COMMITTEES', 17], ['PARTY_MEMBERS', 18], ['REPRESENTATIVES', 19]] as const) {
      await step(dist.recordMeeting, { step: s, heldOn: `${y + 1}-01-${d}`, memberCount: 30, attendance: 30, votesFor: 30, votesAgainst: 0, abstentions: 0 });
    }
    const [, nCpu] = await time('notice', prof, () => step(dist.publishPlanNotice, { startOn: `${y + 1}-01-20` }));
    const [, aCpu] = await time('approve', prof, () => step(dist.approvePlan, { reviewedOn: `${y + 1}-01-25` }));
    const [, eCpu, eWall] = await time('execute', prof, () => step(dist.executePlan, { executedOn: `${y + 1}-02-01`, idempotencyKey: `bench-exec-${y}` }));
    console.log(`round ${round}: draft cpu ${dCpu.toFixed(0)} ms (wall ${dWall.toFixed(0)}), execute cpu ${eCpu.toFixed(0)} ms (wall ${eWall.toFixed(0)}); notice ${nCpu.toFixed(0)}, approve ${aCpu.toFixed(0)}`);
  }
  // The floor: the same 10,000 recipient rows and postings written with raw prepared statements into the
  // product's own tables (their indexes, foreign keys and triggers), then rolled back. Compare with the
  // bench's baseline, which writes into bare tables.
  if (!process.env.DATABASE_URL) {
    const conn: any = await (db as any).client.acquireConnection();
    try {
      const plan = conn.prepare('select id from distribution_plans order by id desc limit 1').get();
      const line = conn.prepare('select id from distribution_lines where plan_id = ? order by id desc limit 1').get(plan.id);
      const entry = conn.prepare('select id from journal_entries order by id desc limit 1').get();
      const accounts = conn.prepare("select id from journal_accounts where kind = 'PAYABLE_TO_HOUSEHOLDS' limit ?").all(N).map((r: any) => r.id);
      const insR = conn.prepare('insert into distribution_recipients (plan_id, line_id, household_id, household_status, weight, work_days, hardship_category, amount_fen) values (?, ?, ?, ?, ?, ?, ?, ?)');
      const insP = conn.prepare('insert into journal_postings (entry_id, account_id, amount_fen) values (?, ?, ?)');
      for (let k = 0; k < 3; k++) {
        conn.exec('savepoint floor');
        const c = process.cpuUsage();
        conn.exec("delete from distribution_recipients where line_id = " + Number(line.id));
        const c2 = process.cpuUsage();
        for (const id of householdIds) insR.run(plan.id, line.id, id, 'FORMERLY_POOR', 10000, null, null, 40000);
        const r = process.cpuUsage(c2);
        const c3 = process.cpuUsage();
        for (const a of accounts) insP.run(entry.id, a, 40000);
        const q = process.cpuUsage(c3);
        conn.exec('rollback to floor');
        conn.exec('release floor');
        void c;
        conn.exec('savepoint bare');
        conn.exec('CREATE TABLE bench_r (id INTEGER PRIMARY KEY, plan_id INTEGER, household_id INTEGER, weight INTEGER, amount_fen INTEGER)');
        conn.exec('CREATE TABLE bench_p (id INTEGER PRIMARY KEY, entry_id INTEGER, account_id INTEGER, amount_fen INTEGER)');
        const bR = conn.prepare('INSERT INTO bench_r (plan_id, household_id, weight, amount_fen) VALUES (?, ?, ?, ?)');
        const bP = conn.prepare('INSERT INTO bench_p (entry_id, account_id, amount_fen) VALUES (?, ?, ?)');
        const c4 = process.cpuUsage();
        for (let id = 1; id <= N; id++) bR.run(1, id, 10000, 40000);
        for (let id = 1; id <= N; id++) bP.run(1, id, 40000);
        const b = process.cpuUsage(c4);
        conn.exec('rollback to bare');
        conn.exec('release bare');
        console.log(`bench baseline (bare tables, recipients + postings, no commit): ${((b.user + b.system) / 1e3).toFixed(0)} ms CPU`);
        console.log(`floor: ${householdIds.length} recipients into distribution_recipients ${((r.user + r.system) / 1e3).toFixed(0)} ms CPU, ${accounts.length} postings into journal_postings ${((q.user + q.system) / 1e3).toFixed(0)} ms CPU`);
      }
    } catch (err) {
      console.log('floor not measured:', (err as Error).message);
    } finally {
      await (db as any).client.releaseConnection(conn);
    }
  }
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
main().catch((e) => { console.error(e); process.exit(1); });
