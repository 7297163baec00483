/**
 * scripts/bench-distribution.ts with CPU time (the machine is shared: wall time mostly measures the other
 * engineers) and, with PERF_SQL=1, the time per statement shape. Otherwise the same arrangement.
 *
 * Benchmark: a distribution to 10,000 households, computed and journaled in one transaction each
 * (draft = compute + store; execute = one journal entry with a posting per household), reported as a ratio
 * to a raw better-sqlite3 prepared-statement baseline that writes the same rows, in the same run.
 * Ratios, not absolute times, are what to compare between machines and commits.
 *
 *   npm run bench            (all benchmarks)
 *   BENCH_HOUSEHOLDS=2000 npx tsx scripts/bench-distribution.ts
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
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

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const c = process.cpuUsage();
  const r = await fn();
  const u = process.cpuUsage(c);
  return [r, (u.user + u.system) / 1e3];
}
const sqlTime = new Map<string, { n: number; ms: number }>();
const started = new Map<string, bigint>();
function timeSql(db: any) {
  if (!process.env.PERF_SQL) return;
  db.on('query', (q: any) => started.set(q.__knexQueryUid, process.hrtime.bigint()));
  db.on('query-response', (_r: any, q: any) => {
    const shape = String(q.sql).replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)').replace(/\?(, \?)+/g, '…').slice(0, 100);
    const t = sqlTime.get(shape) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += Number(process.hrtime.bigint() - started.get(q.__knexQueryUid)!) / 1e6;
    sqlTime.set(shape, t);
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-bench-'));
  const db = createDb({ sqliteFile: path.join(dir, 'bench.sqlite') });
  await migrateLatest(db);
  timeSql(db);
  const clock = fixedClock('2026-11-22T02:00:00.000Z');
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: 'bench', role: 'ADMIN', regionCode: '510000000000' }, clock.now());
  const actor = toActor({ id: userId, name: 'bench', role: 'ADMIN', region_code: '510000000000' });
  const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });

  // Arrange: N formerly-poor households and 10 million yuan of income awaiting distribution.
  await db.transaction(async (trx) => {
    const now = clock.now();
    for (let i = 0; i < N; i += 500) {
      // Bench households need unique ID numbers, not valid ones: they never pass through the API.
      const rows = Array.from({ length: Math.min(500, N - i) }, (_, k) => ({
        village_code: V.chaping,
        head_name: `户${i + k}`,
        id_number: `B${String(i + k).padStart(17, '0')}`,
        member_count: 1 + ((i + k) % 5),
        status: 'FORMERLY_POOR',
        created_at: now,
        updated_at: now,
      }));
      const ids = await trx('households').insert(rows).returning('id');
      await trx('household_status_changes').insert(
        ids.map((x: any) => ({ household_id: x.id ?? x, status: 'FORMERLY_POOR', effective_on: '2020-12-31', actor_user_id: userId, recorded_at: now })),
      );
    }
    const collective = await collectiveOf(trx, clock, V.chaping);
    const payerId = await partiesRepo.insert(trx, { kind: 'COMPANY', name: '经营方', regionCode: '511922000000', createdAt: now });
    await postEntry(svc(trx), {
      kind: 'INCOME',
      effectiveOn: '2024-12-31',
      memo: 'bench income',
      idempotencyKey: 'bench-income',
      requestFingerprint: 'b'.repeat(64),
      postings: [
        { holderPartyId: payerId, kind: 'EXTERNAL_COUNTERPARTY', amountFen: -1_000_000_000 },
        { holderPartyId: collective.id, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 1_000_000_000 },
      ],
    });
  });
  const householdIds: number[] = (await db('households').select('id').orderBy('id')).map((r: any) => r.id);

  sqlTime.clear();
  const [plan, draftMs] = await time(() =>
    db.transaction((trx) =>
      dist.createPlan(svc(trx), {
        villageCode: V.chaping,
        title: 'bench',
        periodFrom: '2024-01-01',
        periodTo: '2024-12-31',
        planOn: '2025-01-15',
        lines: [
          { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 4000, description: '分红', recipients: householdIds.map((householdId) => ({ householdId })) },
          { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累', recipients: [] },
        ],
      }),
    ),
  );
  const step = (fn: (s: ServiceContext, i: any) => Promise<unknown>, input: any) =>
    db.transaction((trx) => fn(svc(trx), { planId: plan.id, ...input }));
  for (const [s, on] of [
    ['PARTY_BRANCH_PROPOSAL', '2025-01-16'],
    ['TWO_COMMITTEES', '2025-01-17'],
    ['PARTY_MEMBERS', '2025-01-18'],
    ['REPRESENTATIVES', '2025-01-19'],
  ]) {
    await step(dist.recordMeeting, { step: s, heldOn: on, memberCount: 30, attendance: 30, votesFor: 30, votesAgainst: 0, abstentions: 0 });
  }
  await step(dist.publishPlanNotice, { startOn: '2025-01-20' });
  await step(dist.approvePlan, { reviewedOn: '2025-01-25' });
  const show = (label: string) => {
    for (const [shape, t] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)) console.log(`  ${label} ${t.ms.toFixed(0).padStart(6)} ms ${String(t.n).padStart(5)}× ${shape}`);
    console.log(`  ${label} statements: ${[...sqlTime.values()].reduce((n, t) => n + t.n, 0)}`);
    sqlTime.clear();
  };
  show('draft+steps');
  const [, executeMs] = await time(() => step(dist.executePlan, { executedOn: '2025-02-01', idempotencyKey: 'bench-exec' }));
  show('execute');
  const postings = Number((await db('journal_postings').count({ n: '*' }).first())?.n);
  await db.destroy();

  // Baseline: the same rows (recipients, then postings) written with raw prepared statements.
  const raw = new Database(path.join(dir, 'baseline.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, plan_id INTEGER, household_id INTEGER, weight INTEGER, amount_fen INTEGER)');
  raw.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, entry_id INTEGER, account_id INTEGER, amount_fen INTEGER)');
  const insR = raw.prepare('INSERT INTO r (plan_id, household_id, weight, amount_fen) VALUES (?, ?, ?, ?)');
  const insP = raw.prepare('INSERT INTO p (entry_id, account_id, amount_fen) VALUES (?, ?, ?)');
  const [, baselineMs] = await time(() => {
    raw.transaction(() => {
      for (const id of householdIds) insR.run(1, id, 10000, 40000);
    })();
    raw.transaction(() => {
      for (const id of householdIds) insP.run(1, id, 40000);
    })();
  });
  raw.close();
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(`distribution to ${N} households (${postings} journal postings in all)`);
  console.log(`  CPU: draft (compute + store) ${draftMs.toFixed(0)} ms; execute (one journal entry) ${executeMs.toFixed(0)} ms`);
  console.log(`  raw prepared-statement baseline ${baselineMs.toFixed(1)} ms`);
  console.log(`  ratio draft/baseline ${(draftMs / baselineMs).toFixed(1)}x, execute/baseline ${(executeMs / baselineMs).toFixed(1)}x`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
