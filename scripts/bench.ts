/**
 * npm run bench: how fast can the journal's hash chain be verified?
 *
 * Builds a SQLite journal of BENCH_ENTRIES entries (default 1,000,000) in a scratch file, written through the
 * journal repository in big batches inside transactions, with correct sequences and hashes. Then times
 * verifyChain (what `journalVerify` and `npm run verify` run) and compares it with two in-memory baselines
 * over the same canonical bytes:
 *   - hash only: SHA-256 of prev hash + canonical entry, chained, bytes already in memory;
 *   - serialise + hash: canonical JSON from in-memory entry objects, then the chained hash.
 * The ratio says what reading from the database costs on top of the unavoidable hashing.
 *
 *   npm run bench                              # 1,000,000 entries, a few minutes
 *   BENCH_ENTRIES=100000 npm run bench         # quicker
 *   BENCH_FILE=/tmp/j.sqlite BENCH_KEEP=1 npm run bench   # keep the file, then: SQLITE_FILE=/tmp/j.sqlite npm run verify
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createDb } from '../src/db/connection';
import { migrateLatest } from '../src/db/migrations';
import { insertRegions } from '../src/modules/regions/regions.repository';
import { parentCodeOf } from '../src/modules/regions/regions.codes';
import { createUserWithToken } from '../src/modules/auth/auth.service';
import * as partiesRepo from '../src/modules/parties/parties.repository';
import * as journalRepo from '../src/modules/journal/journal.repository';
import { canonicalEntry, chainHash, GENESIS_HASH, requestFingerprint } from '../src/modules/journal/journal.hash';
import { verifyChain } from '../src/modules/journal/journal.verify';
import type { AccountKind, EntryKind } from '../src/modules/journal/journal.types';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const BATCH = 10_000; // entries per transaction
const VILLAGES = 300;
const PAYERS = 50;
const BASELINE_SAMPLE = Math.min(ENTRIES, 100_000); // canonical forms kept in memory for the baselines

/** Deterministic PRNG (mulberry32), so two runs build the same journal. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Heap cap of the separate `npm run verify` run: verification must not need memory in proportion to the journal. */
const CLI_HEAP_MB = 64;

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')} entries/s`;

async function main() {
  if (!Number.isInteger(ENTRIES) || ENTRIES < 1) throw new Error('BENCH_ENTRIES must be a positive integer');
  const file = process.env.BENCH_FILE ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-bench-')), 'journal.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = createDb({ sqliteFile: file });
  const now = '2026-11-22T02:00:00.000Z';
  console.log(`Bangfu Ledger journal benchmark: ${ENTRIES.toLocaleString('en-US')} entries in ${file}`);

  // --- holders: one county, one township, VILLAGES villages with their collectives, PAYERS companies.
  await migrateLatest(db);
  const county = '511922000000';
  const township = '511922105000';
  const villageCodes = Array.from({ length: VILLAGES }, (_, i) => `511922105${String(i + 1).padStart(3, '0')}`);
  await insertRegions(db, [
    { code: '510000000000', name: '四川省', level: 'PROVINCE', parentCode: null },
    { code: '511900000000', name: '巴中市', level: 'CITY', parentCode: '510000000000' },
    { code: county, name: '南江县', level: 'COUNTY', parentCode: '511900000000' },
    { code: township, name: '云顶镇', level: 'TOWNSHIP', parentCode: county },
    ...villageCodes.map((code, i) => ({ code, name: `第${i + 1}村`, level: 'VILLAGE' as const, parentCode: parentCodeOf(code) })),
  ]);
  const { userId } = await createUserWithToken(db, { name: '基准测试', role: 'ADMIN', regionCode: '510000000000' }, now);
  const villages: number[] = [];
  for (const [i, code] of villageCodes.entries()) {
    villages.push(await partiesRepo.insert(db, { kind: 'VILLAGE_COLLECTIVE', name: `第${i + 1}村股份经济合作社`, regionCode: code, createdAt: now }));
  }
  const payers: number[] = [];
  for (let i = 0; i < PAYERS; i++) {
    payers.push(await partiesRepo.insert(db, { kind: 'COMPANY', name: `经营主体${i + 1}`, regionCode: county, createdAt: now }));
  }
  const accountIds = new Map<string, number>();
  const account = async (holder: number, kind: AccountKind) => {
    const key = `${holder}/${kind}`;
    if (!accountIds.has(key)) accountIds.set(key, (await journalRepo.ensureAccount(db, holder, kind, now)).id);
    return accountIds.get(key)!;
  };
  for (const p of payers) await account(p, 'EXTERNAL_COUNTERPARTY');
  for (const v of villages) {
    for (const k of ['INCOME_PENDING_DISTRIBUTION', 'COLLECTIVE_RETENTION', 'UPKEEP_RESERVE', 'PAYABLE_TO_HOUSEHOLDS'] as AccountKind[]) {
      await account(v, k);
    }
  }

  // --- entries: 3 in 4 are income (payer → village, 2 postings), 1 in 4 a distribution (4 postings).
  const random = prng(20261122);
  const sample: { fields: any; postings: any[]; canonical: Buffer }[] = [];
  let prevHash = GENESIS_HASH;
  let postingCount = 0;
  const tGen = process.hrtime.bigint();
  for (let start = 1; start <= ENTRIES; start += BATCH) {
    const batch: Parameters<typeof journalRepo.insertEntriesBulk>[1] = [];
    for (let sequence = start; sequence < start + BATCH && sequence <= ENTRIES; sequence++) {
      const village = villages[Math.floor(random() * VILLAGES)];
      const amount = 100 + Math.floor(random() * 10_000_000);
      const distribution = sequence % 4 === 0;
      const kind: EntryKind = distribution ? 'DISTRIBUTION' : 'INCOME';
      const holderPostings: { holderPartyId: number; accountKind: AccountKind; amountFen: number }[] = distribution
        ? [
            { holderPartyId: village, accountKind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -amount },
            { holderPartyId: village, accountKind: 'COLLECTIVE_RETENTION', amountFen: Math.floor(amount * 0.3) },
            { holderPartyId: village, accountKind: 'UPKEEP_RESERVE', amountFen: Math.floor(amount * 0.1) },
            { holderPartyId: village, accountKind: 'PAYABLE_TO_HOUSEHOLDS', amountFen: amount - Math.floor(amount * 0.3) - Math.floor(amount * 0.1) },
          ]
        : [
            { holderPartyId: payers[Math.floor(random() * PAYERS)], accountKind: 'EXTERNAL_COUNTERPARTY', amountFen: -amount },
            { holderPartyId: village, accountKind: 'INCOME_PENDING_DISTRIBUTION', amountFen: amount },
          ];
      const postings = [];
      for (const p of holderPostings) postings.push({ ...p, accountId: await account(p.holderPartyId, p.accountKind) });
      const key = `bench-${sequence}`;
      const fields = {
        sequence,
        kind,
        effectiveOn: `202${4 + (sequence % 2)}-${String(1 + (sequence % 12)).padStart(2, '0')}-${String(1 + (sequence % 28)).padStart(2, '0')}`,
        memo: distribution ? `第${sequence}号 收益分配` : `第${sequence}号 资产租金收入`,
        sourceType: 'ASSET' as const,
        sourceId: 1 + (sequence % 5000),
        assetId: null,
        reversesEntryId: null,
        idempotencyKey: key,
        requestFingerprint: requestFingerprint('bench', userId, { key }),
        actorUserId: userId,
        recordedAt: now,
      };
      const canonical = canonicalEntry(fields, postings);
      const hash = chainHash(prevHash, canonical);
      if (sample.length < BASELINE_SAMPLE) sample.push({ fields, postings, canonical: Buffer.from(canonical, 'utf8') });
      batch.push({ entry: { ...fields, prevHash, hash }, postings });
      postingCount += postings.length;
      prevHash = hash;
    }
    await db.transaction(async (trx) => {
      await journalRepo.insertEntriesBulk(trx, batch);
      await journalRepo.advanceHead(trx, { lastSequence: batch[batch.length - 1].entry.sequence, lastHash: prevHash });
    });
    if ((start - 1) % 100_000 === 0) process.stderr.write(`  generated ${Math.min(start + BATCH - 1, ENTRIES).toLocaleString('en-US')}\n`);
  }
  const genSeconds = seconds(tGen);
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  const sizeMb = fs.statSync(file).size / 1024 / 1024;
  console.log(`generated ${ENTRIES.toLocaleString('en-US')} entries, ${postingCount.toLocaleString('en-US')} postings in ${genSeconds.toFixed(1)} s (${rate(ENTRIES, genSeconds)}); file ${sizeMb.toFixed(0)} MB`);

  // --- verification, as journalVerify runs it (in this process, on this connection).
  const t0 = process.hrtime.bigint();
  const result = await verifyChain(db, { batchSize: 5000 });
  const verifySeconds = seconds(t0);
  if (!result.intact || result.count !== ENTRIES) throw new Error(`benchmark journal did not verify: ${JSON.stringify(result)}`);
  await db.destroy();

  // --- the same through `npm run verify` in a separate process with a small heap: memory stays bounded.
  const tCli = process.hrtime.bigint();
  const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'cli', 'verify.ts'), '--json'], {
    env: { ...process.env, DATABASE_URL: '', SQLITE_FILE: file, NODE_OPTIONS: `--max-old-space-size=${CLI_HEAP_MB}` },
    encoding: 'utf8',
  });
  const cliSeconds = seconds(tCli);
  const cliResult = cli.status === 0 ? JSON.parse(cli.stdout) : null;
  if (!cliResult?.intact || cliResult.count !== ENTRIES) throw new Error(`npm run verify failed (${cli.status}): ${cli.stdout}${cli.stderr}`);

  // --- baselines over the same canonical bytes, scaled to ENTRIES hashes by cycling through the sample.
  const tHash = process.hrtime.bigint();
  let h = GENESIS_HASH;
  for (let i = 0; i < ENTRIES; i++) {
    h = crypto.createHash('sha256').update(h, 'utf8').update('\n', 'utf8').update(sample[i % sample.length].canonical).digest('hex');
  }
  const hashSeconds = seconds(tHash);
  const tSer = process.hrtime.bigint();
  h = GENESIS_HASH;
  for (let i = 0; i < ENTRIES; i++) {
    const s = sample[i % sample.length];
    h = chainHash(h, canonicalEntry(s.fields, s.postings));
  }
  const serSeconds = seconds(tSer);

  console.log('');
  console.log(`verify (verifyChain, batches of 5000):   ${verifySeconds.toFixed(2)} s → ${rate(ENTRIES, verifySeconds)}`);
  console.log(`npm run verify, own process, ${CLI_HEAP_MB} MB heap: ${cliSeconds.toFixed(2)} s wall, ${Number(cliResult.seconds).toFixed(2)} s verifying → intact`);
  console.log(`baseline, hash only (bytes in memory):   ${hashSeconds.toFixed(2)} s → ${rate(ENTRIES, hashSeconds)}`);
  console.log(`baseline, serialise + hash (in memory):  ${serSeconds.toFixed(2)} s → ${rate(ENTRIES, serSeconds)}`);
  console.log(`ratio verify / hash only:          ${(verifySeconds / hashSeconds).toFixed(1)}×`);
  console.log(`ratio verify / serialise + hash:   ${(verifySeconds / serSeconds).toFixed(1)}×`);

  if (!process.env.BENCH_KEEP) {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    if (!process.env.BENCH_FILE) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
