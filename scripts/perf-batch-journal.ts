/**
 * G8's batch path alone, for profiling (issue 16): ENTRIES income entries through journal.postEntries in
 * batches of 5,000, one transaction, over 500 payer/owner pairs, on a fresh SQLite file (or DATABASE_URL).
 * Prints entries/s of the batch path; run under `node --cpu-prof` (npx tsx --cpu-prof …) to see where it goes.
 *
 *   ENTRIES=50000 npx tsx scripts/perf-batch-journal.ts
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
import * as partiesRepo from '../src/modules/parties/parties.repository';
import { postEntries } from '../src/modules/journal/journal.service';
import type { ServiceContext } from '../src/shared/context';
import { REGIONS } from '../seeds/demo-data';

const ENTRIES = Number(process.env.ENTRIES ?? 50_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-batch-'));
  const db = createDb(process.env.DATABASE_URL ? {} : { sqliteFile: path.join(dir, 'batch.sqlite') });
  try {
    await migrateLatest(db);
    const clock = fixedClock('2026-11-22T02:00:00.000Z');
    await insertRegions(db, REGIONS.map((r) => ({ ...r, parentCode: parentCodeOf(r.code) })));
    const { userId } = await createUserWithToken(db, { name: 'bench', role: 'ADMIN', regionCode: '510000000000' }, clock.now());
    const actor = toActor({ id: userId, name: 'bench', role: 'ADMIN', region_code: '510000000000' });
    const svc = (trx: any): ServiceContext => ({ db: trx, clock, actor });
    const pairs: { payer: number; owner: number }[] = [];
    for (let i = 0; i < 500; i++) {
      pairs.push({
        payer: await partiesRepo.insert(db, { kind: 'COMPANY', name: `经营方${i}`, regionCode: '511922000000', createdAt: clock.now() }),
        owner: await partiesRepo.insert(db, { kind: 'COMPANY', name: `主体${i}`, regionCode: '511922000000', createdAt: clock.now() }),
      });
    }
    for (let round = 0; round < ROUNDS; round++) {
      const requests = Array.from({ length: ENTRIES }, (_, i) => {
        const a = pairs[i % pairs.length];
        const key = `r${round}-${i}`;
        return {
          kind: 'INCOME' as const,
          effectiveOn: '2026-01-12',
          memo: 'bench batch',
          idempotencyKey: key,
          requestFingerprint: crypto.createHash('sha256').update(key).digest('hex'),
          postings: [
            { holderPartyId: a.payer, kind: 'EXTERNAL_COUNTERPARTY' as const, amountFen: -(1000 + i) },
            { holderPartyId: a.owner, kind: 'INCOME_PENDING_DISTRIBUTION' as const, amountFen: 1000 + i },
          ],
        };
      });
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      await db.transaction(async (trx) => {
        for (let i = 0; i < requests.length; i += 5000) await postEntries(svc(trx), requests.slice(i, i + 5000));
      });
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      // CPU seconds of this process: on a loaded machine wall time mostly measures the others.
      console.log(`round ${round + 1}: ${ENTRIES} entries in ${s.toFixed(2)} s = ${Math.round(ENTRIES / s)} entries/s; ${cpu.toFixed(2)} CPU-s = ${Math.round(ENTRIES / cpu)} entries/CPU-s`);
    }
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
