/**
 * Verification speed on an existing journal file, with an in-process hash-only baseline in the same run
 * (the machine is shared: the ratio is steadier than the rate). Build the file once with
 *   BENCH_ENTRIES=100000 BENCH_FILE=/tmp/j.sqlite BENCH_KEEP=1 npx tsx scripts/bench.ts
 * then: npx tsx scripts/perf-batch-verify.ts /tmp/j.sqlite [rounds]
 */
import crypto from 'node:crypto';
import { createDb } from '../src/db/connection';
import { verifyChain } from '../src/modules/journal/journal.verify';

const file = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const db = createDb({ sqliteFile: file });
  const verifyRates: number[] = [];
  const hashRates: number[] = [];
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 50);
  for (let r = 0; r < rounds; r++) {
    // CPU seconds, not wall: eight engineers share two cores, and wall time mostly measures them.
    const c0 = process.cpuUsage();
    const res = await verifyChain(db);
    const c = process.cpuUsage(c0);
    const s = (c.user + c.system) / 1e6;
    if (!res.intact) throw new Error(JSON.stringify(res));
    verifyRates.push(res.count / s);
    // Baseline: the chained SHA-256 alone of as many ~450-byte canonical strings (createHash, as bench.ts).
    const canonical = 'x'.repeat(450);
    const c1 = process.cpuUsage();
    let h = '0'.repeat(64);
    for (let i = 0; i < res.count; i++) h = crypto.createHash('sha256').update(h, 'utf8').update('\n', 'utf8').update(canonical, 'utf8').digest('hex');
    const ch = process.cpuUsage(c1);
    hashRates.push(res.count / ((ch.user + ch.system) / 1e6));
  }
  clearInterval(sampler);
  const v = median(verifyRates);
  const h = median(hashRates);
  console.log(`per CPU-second: verify ${Math.round(v)} entries/s (min ${Math.round(Math.min(...verifyRates))}, max ${Math.round(Math.max(...verifyRates))}); hash-only ${Math.round(h)}/s; verify/hash-only rate ${(v / h).toFixed(2)}; peak RSS ${(rss / 1048576).toFixed(0)} MB`);
  await db.destroy();
})();
