/**
 * Does a post cost more as the accounts it touches grow older? (issue 16, the journal's write path.)
 *
 * Builds a fresh database, gives one pair of accounts PRIOR postings (through postEntries, the batch path),
 * then times POSTS entries through postEntry (one transaction each, as a mutation does) on those same
 * accounts. Run it at two history sizes and compare: a post must cost the same whatever the history.
 *
 *   npx tsx scripts/perf-posting-growth.ts                 # PRIOR=1000 and PRIOR=200000, SQLite
 *   PRIOR=1000,200000 POSTS=500 npx tsx scripts/perf-posting-growth.ts
 *   DATABASE_URL=postgres://… npx tsx scripts/perf-posting-growth.ts   (a scratch database: it migrates it)
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { fixedClock } from '../src/shared/clock';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken, toActor } from '../src/modules/auth/auth.service';
import { collectiveOf } from '../src/modules/parties/parties.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { postEntries, postEntry } from '../src/modules/journal/journal.service';
import type { ServiceContext } from '../src/shared/context';
import { REGIONS, V } from '../seeds/demo-data';

const PRIORS = (process.env.PRIOR ?? '1000,200000').split(',').map(Number);
const POSTS = Number(process.env.POSTS ?? 500);
const fp = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

async function measure(prior: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-growth-'));
  const db = createDb(process.env.DATABASE_URL ? {} : { sqliteFile: path.join(dir, 'growth.sqlite') });
  try {
    await migrateLatest(db);
    const clock = fixedClock('2026-11-22T02:00:00.000Z');
    await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
    const { userId } = await createUserWithToken(db, { name: 'bench', role: 'ADMIN', regionCode: '510000000000' }, clock.now());
    const actor = toActor({ id: userId, name: 'bench', role: 'ADMIN', region_code: '510000000000' });
    const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });
    const { payer, owner } = await db.transaction(async (trx) => ({
      payer: await partiesRepo.insert(trx, { kind: 'COMPANY', name: '经营方', regionCode: '511922000000', createdAt: clock.now() }),
      owner: (await collectiveOf(trx, clock, V.chaping)).id,
    }));
    const income = (key: string, fen: number) => ({
      kind: 'INCOME' as const,
      effectiveOn: '2026-01-10',
      memo: 'growth',
      idempotencyKey: key,
      requestFingerprint: fp(key),
      postings: [
        { holderPartyId: payer, kind: 'EXTERNAL_COUNTERPARTY' as const, amountFen: -fen },
        { holderPartyId: owner, kind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: fen },
      ],
    });
    for (let i = 0; i < prior; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, prior - i) }, (_, k) => income(`prior-${i + k}`, 100 + k));
      await db.transaction((trx) => postEntries(svc(trx), batch));
    }
    // Warm up, then time.
    for (let i = 0; i < 20; i++) await db.transaction((trx) => postEntry(svc(trx), income(`warm-${i}`, 1)));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < POSTS; i++) await db.transaction((trx) => postEntry(svc(trx), income(`post-${i}`, 1 + i)));
    return POSTS / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  for (const prior of PRIORS) {
    const rate = await measure(prior);
    console.log(`prior postings per account ${prior}: ${Math.round(rate)} postEntry/s (${(1000 / rate).toFixed(2)} ms each, ${POSTS} posts)`);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
