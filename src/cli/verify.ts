/**
 * npm run verify: verifies the journal's hash chain in the database (SQLite file, or DATABASE_URL) and exits
 * 0 when intact, 1 when an entry fails (printing the first one), 2 when verification could not run.
 *
 *   npm run verify                 # data/bangfu-ledger.sqlite
 *   SQLITE_FILE=/tmp/bench.sqlite npm run verify
 *   DATABASE_URL=postgres://… npm run verify -- --json
 *
 * Options: --json (machine-readable result on stdout), --batch N (entries per read, default 1000),
 * --workers N (worker threads verifying slices of the chain in parallel, SQLite files only; default one per
 * core from 100,000 entries; 0 = in this thread), --quiet (no progress on stderr).
 */
import { createDb } from '../db/connection';
import { BATCH_SIZE, verifyChain } from '../modules/journal/journal.verify';
import { registeredReconcilers } from '../modules/journal/journal.reconcile';
// 账实核对: each module that keeps money-bearing rows registers its reconciler when it loads; the server loads
// them all through its modules, this command loads them here (test/reconcile.test.ts checks the lists agree).
import '../modules/upkeep/upkeep.reconcile';
import '../modules/income/income.reconcile';
import '../modules/distribution/distribution.reconcile';
import '../modules/bundles/bundles.reconcile';
import '../modules/disposal/disposal.reconcile';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

(async () => {
  const json = process.argv.includes('--json');
  const quiet = process.argv.includes('--quiet') || json;
  const batchSize = Number(option('--batch') ?? BATCH_SIZE);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch must be a positive integer');
  const workersOption = option('--workers');
  const workers = workersOption === undefined ? undefined : Number(workersOption);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) throw new Error('--workers must be a whole number');

  const db = createDb();
  const started = Date.now();
  let lastReport = started;
  const timings: { chainMs?: number; reconcileMs?: number; workers?: number } = {};
  try {
    const result = await verifyChain(db, {
      batchSize,
      workers,
      timings,
      onProgress: (n) => {
        if (!quiet && Date.now() - lastReport > 1000) {
          lastReport = Date.now();
          process.stderr.write(`  verified ${n} entries…\n`);
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    if (json) {
      // chainSeconds: the chain checked; reconcileSeconds: the reconcilers' own time (with workers they run
      // meanwhile, so the two overlap); workers: threads used (0: this one).
      console.log(JSON.stringify({ ...result, seconds, chainSeconds: (timings.chainMs ?? NaN) / 1000, reconcileSeconds: (timings.reconcileMs ?? NaN) / 1000, workers: timings.workers }));
    } else if (result.intact) {
      console.log(`journal intact (台账完好): ${result.count} entries, head #${result.headSequence} ${result.headHash} (${seconds.toFixed(1)} s)`);
      console.log(`  reconciled with their entries (账实相符): ${registeredReconcilers().map((r) => r.table).join(', ')}`);
    } else {
      const f = result.failure;
      console.log(`journal BROKEN (台账被篡改): ${f.problem} at entry #${f.sequence}${f.entryId === null ? '' : ` (id ${f.entryId})`}`);
      console.log(`  ${f.message}`);
      console.log(`  expected: ${f.expected}`);
      console.log(`  stored:   ${f.stored}`);
      console.log(`  ${result.count} entries before it verified`);
    }
    process.exitCode = result.intact ? 0 : 1;
  } finally {
    await db.destroy();
  }
})().catch((err) => {
  console.error(`verify could not run: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
