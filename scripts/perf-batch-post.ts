/**
 * G8, the journaled write rate: income entries (payer → village) posted through the journal service, one by
 * one (postEntry, one transaction each, as the bench's generator does) and in batches (postEntries, one
 * transaction per batch), into a scratch SQLite file. Reports entries per second of wall time and of CPU time
 * (the machine is shared, CPU time is the steadier figure).
 *
 *   npx tsx scripts/perf-batch-post.ts [entries=50000] [batch=5000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { fixedClock } from '../src/shared/clock';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { EntryRequest, postEntries, postEntry } from '../src/modules/journal/journal.service';
import { verifyChain } from '../src/modules/journal/journal.verify';
import type { ServiceContext } from '../src/shared/context';
import { REGIONS } from '../seeds/demo-data';

const N = Number(process.argv[2] ?? 50_000);
const BATCH = Number(process.argv[3] ?? 5000);
const ONE_BY_ONE = Math.min(N, Number(process.env.ONE_BY_ONE ?? 5000));

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-post-'));
  const db = createDb({ sqliteFile: path.join(dir, 'post.sqlite') });
  await migrateLatest(db);
  // PERF_SQL=1: time spent per statement shape (knex query events), printed at the end.
  const sqlTime = new Map<string, { n: number; ms: number }>();
  const started = new Map<string, bigint>();
  if (process.env.PERF_SQL) {
    db.on('query', (q: any) => started.set(q.__knexQueryUid, process.hrtime.bigint()));
    db.on('query-response', (_r: any, q: any) => {
      const shape = String(q.sql).replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(…)').replace(/\?(, \?)+/g, '…').slice(0, 90);
      const t = sqlTime.get(shape) ?? { n: 0, ms: 0 };
      t.n++;
      t.ms += Number(process.hrtime.bigint() - started.get(q.__knexQueryUid)!) / 1e6;
      sqlTime.set(shape, t);
    });
  }
  const clock = fixedClock('2026-11-22T02:00:00.000Z');
  await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
  const { userId } = await createUserWithToken(db, { name: 'bench', role: 'ADMIN', regionCode: '510000000000' }, clock.now());
  const actor = toActor({ id: userId, name: 'bench', role: 'ADMIN', region_code: '510000000000' });
  const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });
  const villages = REGIONS.filter((r) => r.level === 'VILLAGE').map((r) => r.code);
  const holders: number[] = [];
  for (const code of villages) holders.push(await partiesRepo.insert(db, { kind: 'VILLAGE_COLLECTIVE', name: `${code}集体`, regionCode: code, createdAt: clock.now() }));
  const payers: number[] = [];
  for (let i = 0; i < 20; i++) payers.push(await partiesRepo.insert(db, { kind: 'COMPANY', name: `经营方${i}`, regionCode: '511922000000', createdAt: clock.now() }));
  const request = (i: number, label: string): EntryRequest => ({
    kind: 'INCOME',
    effectiveOn: '2025-06-30',
    memo: `第${i}号 资产租金收入`,
    source: { type: 'ASSET', id: 1 + (i % 5000) },
    idempotencyKey: `${label}-${i}`,
    requestFingerprint: 'f'.repeat(64),
    postings: [
      { holderPartyId: payers[i % payers.length], kind: 'EXTERNAL_COUNTERPARTY', amountFen: -(100 + i) },
      { holderPartyId: holders[i % holders.length], kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: 100 + i },
    ],
  });
  const measure = async (label: string, n: number, run: () => Promise<void>) => {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    await run();
    const u = process.cpuUsage(c);
    const wall = Number(process.hrtime.bigint() - t) / 1e9;
    const cpu = (u.user + u.system) / 1e6;
    console.log(`${label}: ${n} entries, ${Math.round(n / wall)} entries/s wall, ${Math.round(n / cpu)} entries/CPU-s`);
  };
  await measure('postEntry one by one (a transaction each)', ONE_BY_ONE, async () => {
    for (let i = 0; i < ONE_BY_ONE; i++) await db.transaction((trx) => postEntry(svc(trx), request(i, 'one')).then(() => undefined));
  });
  await measure(`postEntries, batches of ${BATCH}`, N, async () => {
    for (let i = 0; i < N; i += BATCH) {
      const reqs = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => request(i + k, 'batch'));
      await db.transaction((trx) => postEntries(svc(trx), reqs).then(() => undefined));
    }
  });
  const v = await verifyChain(db);
  if (!v.intact || v.count !== ONE_BY_ONE + N) throw new Error(`chain does not verify: ${JSON.stringify(v)}`);
  for (const [shape, t] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(`  ${t.ms.toFixed(0).padStart(7)} ms ${String(t.n).padStart(6)}× ${shape}`);
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
