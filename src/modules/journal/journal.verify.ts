import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Executor } from '../../db/connection';
import { GENESIS_HASH } from './journal.hash';
import * as repo from './journal.repository';
import { firstDisagreement } from './journal.reconcile';
import type { JournalHead, VerifyFailure, VerifyResult } from './journal.types';
import { linkFailure, verifySlice, type SliceMark, type SliceOutcome, type SliceTask } from './journal.verifySlice';

export interface VerifyOptions {
  /** Entries read per batch; memory stays bounded by this (per thread), whatever the journal's length. */
  batchSize?: number;
  /** Called with the number of entries checked so far (CLI progress): after each batch in one thread, after each slice with workers. */
  onProgress?: (checked: number) => void;
  /**
   * Worker threads verifying slices in parallel (SQLite files only: each opens its own read-only connection).
   * Default: none below PARALLEL_FROM entries, else one per core but one (at most MAX_WORKERS): the coordinating
   * thread runs the reconcilers meanwhile. 0 verifies in this thread.
   */
  workers?: number;
  /** Entries per slice (default SLICE_SIZE); in one thread the slices run one after another. */
  sliceSize?: number;
  /** Filled in when given: milliseconds until the chain was checked, and the reconcilers' own time. */
  timings?: { chainMs?: number; reconcileMs?: number; workers?: number };
}

/**
 * Entries per read. Smaller than the 5,000 it was: a batch's rows are alive while it is hashed, and young
 * garbage collection copies what is alive — 1,000 verified ~1.7× more entries per CPU-second than 5,000.
 */
export const BATCH_SIZE = 1000;
/** Entries per slice: big enough that a slice's start-up is noise, small enough to share out evenly. */
const SLICE_SIZE = 50_000;
/** Below this many entries one thread is faster than starting workers. */
const PARALLEL_FROM = 100_000;
/**
 * Each worker adds ~60 MB to the process's peak RSS (measured on a 300k-entry county: 205 MB with one, 274–298 MB
 * with two), and G7's bound is 256 MB; past two, the reconcilers in the coordinating thread are the long pole.
 */
const MAX_WORKERS = 2;

/**
 * Walks the chain from the first entry to the recorded head, recomputing every hash from the stored rows, and
 * reports the first failure: a gap in the sequence, an entry that does not point to its predecessor's hash,
 * content that no longer hashes to the stored hash, postings that do not balance, a checkpoint that no longer
 * matches, or a chain that ends short of (or differently from) the head; then the registered reconcilers.
 *
 * The chain 1…head is cut into slices of `sliceSize` entries (journal.verifySlice.ts): each slice checks its
 * own entries, hashing its first from that entry's stored prev_hash; this coordinator takes the outcomes in
 * chain order and checks each slice's first entry against the previous slice's last (sequence and link), so
 * together they check exactly what one walk would, and report the same first failure with the same count. On
 * a SQLite file the slices go to worker threads, in parallel, while this thread runs the reconcilers; on
 * PostgreSQL, in memory or in a transaction they run here, one after another, reading through `db`.
 *
 * The head is read first and only entries up to it are checked, so appends made while verifying neither
 * disturb the walk nor need a long-running transaction (which on SQLite would block every writer).
 */
export async function verifyChain(db: Executor, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const started = Date.now();
  const sliceSize = opts.sliceSize ?? SLICE_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  if (!Number.isInteger(sliceSize) || sliceSize < 1) throw new Error('sliceSize must be a positive integer');
  const head = await repo.readHead(db);
  // Heads written down earlier (checkpoints, notices): each must still be on the chain (issue 8).
  const allMarks = await repo.headMarks(db);
  const tasks: SliceTask[] = [];
  for (let after = 0; after < head.lastSequence; after += sliceSize) {
    const upto = Math.min(after + sliceSize, head.lastSequence);
    tasks.push({ after, upto, marks: allMarks.filter((m) => m.sequence > after && m.sequence <= upto) });
  }

  // The coordinator's state: the chain verified so far.
  let prevHash = GENESIS_HASH;
  let lastSequence = 0;
  let count = 0;
  const fail = (f: VerifyFailure): VerifyResult => ({ intact: false, count, failure: f });
  /** Takes the next slice's outcome, in chain order; a failure ends the walk. */
  const accept = (o: SliceOutcome): VerifyResult | null => {
    if (o.first) {
      const broken = linkFailure(lastSequence, prevHash, o.first);
      if (broken) return fail(broken);
    }
    count += o.count;
    if (o.failure) return fail(o.failure);
    if (o.last) {
      lastSequence = o.last.sequence;
      prevHash = o.last.hash;
    }
    return null;
  };

  const source = repo.chainFileSource(db);
  const workers = source ? opts.workers ?? (head.lastSequence >= PARALLEL_FROM ? Math.max(1, Math.min(os.availableParallelism() - 1, MAX_WORKERS)) : 0) : 0;
  let failed: VerifyResult | null = null;
  const parallel = source !== null && workers > 0 && tasks.length > 0;
  if (opts.timings) opts.timings.workers = parallel ? Math.min(workers, tasks.length) : 0;
  if (source && parallel) {
    // The reconcilers read other tables through `db`: they run meanwhile, here, and are judged only once the
    // chain is intact (as before). Settled before returning either way, so that `db` may be closed after.
    const finished = { at: started };
    const reconciled = firstDisagreement(db).then(
      (off) => ({ off, error: null as unknown }),
      (error: unknown) => ({ off: null, error }),
    ).finally(() => {
      if (opts.timings) opts.timings.reconcileMs = Date.now() - started;
    });
    try {
      failed = await inWorkers(source, tasks, Math.min(workers, tasks.length), batchSize, (o) => {
        const r = accept(o);
        if (!r) opts.onProgress?.(count);
        return r;
      }, finished);
    } catch (err) {
      await reconciled;
      throw err;
    }
    // When the workers were done (this thread may have read their outcomes only after the reconcilers).
    if (opts.timings) opts.timings.chainMs = finished.at - started;
    const settled = await reconciled;
    failed = failed ?? endOfChain(head, lastSequence, prevHash, count, allMarks) ?? (await judged(settled, count));
    return failed ?? { intact: true, count, headSequence: head.lastSequence, headHash: head.lastHash };
  }

  for (const task of tasks) {
    const before = count;
    const outcome = await verifySlice((a, u, l) => repo.chainSliceRows(db, a, u, l), task, batchSize, async (n) => {
      opts.onProgress?.(before + n);
      // Let the event loop breathe between batches: on SQLite the reads are synchronous, and a server verifying
      // a million entries must still answer other requests meanwhile.
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
    failed = accept(outcome);
    if (failed) return failed;
  }
  failed = endOfChain(head, lastSequence, prevHash, count, allMarks);
  if (failed) return failed;
  const chainDone = Date.now();
  if (opts.timings) opts.timings.chainMs = chainDone - started;
  // The chain is intact; now the books around it (issue 8): each money-bearing row against its entry.
  failed = await judged(await firstDisagreement(db).then((off) => ({ off, error: null })), count);
  if (opts.timings) opts.timings.reconcileMs = Date.now() - chainDone;
  return failed ?? { intact: true, count, headSequence: head.lastSequence, headHash: head.lastHash };
}

/** The chain must end at the recorded head, and every head written down must be on it. */
function endOfChain(h: JournalHead, lastSequence: number, prevHash: string, count: number, marks: readonly SliceMark[]): VerifyResult | null {
  if (lastSequence !== h.lastSequence || prevHash !== h.lastHash) {
    return {
      intact: false,
      count,
      failure: {
        problem: 'HEAD_MISMATCH',
        sequence: h.lastSequence,
        entryId: null,
        expected: `#${h.lastSequence} ${h.lastHash}`,
        stored: `#${lastSequence} ${prevHash}`,
        message: `The chain ends at #${lastSequence} but the journal head records #${h.lastSequence}: entries are missing or were replaced at the end`,
      },
    };
  }
  const beyond = marks.find((m) => m.sequence > lastSequence);
  if (beyond) {
    return {
      intact: false,
      count,
      failure: {
        problem: 'CHECKPOINT_MISMATCH',
        sequence: beyond.sequence,
        entryId: null,
        expected: `#${beyond.sequence} ${beyond.hash}`,
        stored: `#${lastSequence} ${prevHash}`,
        message: `${beyond.source} recorded entry #${beyond.sequence}, but the chain ends at #${lastSequence}: entries were deleted`,
      },
    };
  }
  return null;
}

async function judged(settled: { off: Awaited<ReturnType<typeof firstDisagreement>>; error: unknown }, count: number): Promise<VerifyResult | null> {
  if (settled.error) throw settled.error;
  const off = settled.off;
  if (!off) return null;
  return {
    intact: false,
    count,
    failure: {
      problem: 'DOMAIN_MISMATCH',
      sequence: 0,
      entryId: off.entryId,
      expected: `${off.table} #${off.rowId}`,
      stored: off.entryId === null ? 'no entry' : `entry id ${off.entryId}`,
      message: off.message,
    },
  };
}

/**
 * Runs the slices on `n` worker threads (journal.verifyWorker.ts), dealt out at the start — worker k takes
 * slices k, k+n, k+2n… (slices are the same size) — because this thread, busy with the reconcilers, may not
 * get to a worker's message for a long while: handing out slices one at a time stalled the workers until the
 * reconcilers were done. Outcomes go to `accept` in chain order (one that arrives early waits: they are a few
 * numbers each). Every worker is stopped at the first failure or when all slices are accepted.
 */
async function inWorkers(
  source: repo.ChainFileSource,
  tasks: readonly SliceTask[],
  n: number,
  batchSize: number,
  accept: (o: SliceOutcome) => VerifyResult | null,
  finished: { at: number },
): Promise<VerifyResult | null> {
  const pool: Worker[] = [];
  try {
    return await new Promise<VerifyResult | null>((resolve, reject) => {
      const waiting = new Map<number, SliceOutcome>();
      let nextAccept = 0;
      let done = false;
      const finish = (value: VerifyResult | null, error?: Error) => {
        if (done) return;
        done = true;
        if (error) reject(error);
        else resolve(value);
      };
      for (let k = 0; k < n; k++) {
        const w = startWorker({ ...source, batchSize });
        pool.push(w);
        w.on('message', (m: { index: number; outcome?: SliceOutcome; error?: string; at?: number }) => {
          if (done) return;
          if (m.error !== undefined || !m.outcome) return finish(null, new Error(`verification worker: ${m.error}`));
          finished.at = Math.max(finished.at, m.at ?? 0);
          waiting.set(m.index, m.outcome);
          while (waiting.has(nextAccept)) {
            const o = waiting.get(nextAccept)!;
            waiting.delete(nextAccept);
            nextAccept++;
            const r = accept(o);
            if (r) return finish(r);
          }
          if (nextAccept === tasks.length) finish(null);
        });
        w.on('error', (err) => finish(null, err));
        w.on('exit', (code) => finish(null, new Error(`verification worker stopped (exit code ${code})`)));
        const mine: { index: number; task: SliceTask }[] = [];
        for (let index = k; index < tasks.length; index += n) mine.push({ index, task: tasks[index] });
        w.postMessage(mine);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

/**
 * A worker holds one batch at a time: a small old generation bounds its memory (the process's peak RSS is
 * G7's second goal), a small young one too (a batch of 1,000 is ~1 MB).
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 };

/**
 * Starts a worker on journal.verifyWorker. Run from TypeScript sources (tsx, jest), the worker registers
 * tsx's require hook (CommonJS only) first.
 */
function startWorker(workerData: repo.ChainFileSource & { batchSize: number }): Worker {
  const file = path.join(__dirname, `journal.verifyWorker${path.extname(__filename)}`);
  if (!file.endsWith('.ts')) return new Worker(file, { workerData, resourceLimits: WORKER_LIMITS });
  const tsx = require.resolve('tsx/cjs/api');
  const bootstrap = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`;
  // execArgv: [] — not the parent's tsx flags, whose ESM loader would start a hooks thread in every worker.
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [], resourceLimits: WORKER_LIMITS });
}
