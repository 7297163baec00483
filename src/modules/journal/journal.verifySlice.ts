import { canonicalEntryRow, chainHash, type ChainEntryRaw, type ChainPostingRaw } from './journal.hash';
import type { VerifyFailure } from './journal.types';

/**
 * One slice of the chain, verified by itself (in the caller's thread or in a worker thread: this file loads
 * only journal.hash, so a worker starts fast). A slice is the entries with after < sequence ≤ upto. Each
 * entry after the slice's first is checked exactly as a walk of the whole chain checks it (sequence, link to
 * the previous entry, hash, balance, checkpoints); the first entry's hash is recomputed from its own stored
 * prev_hash, and its sequence and link are left to the coordinator (journal.verify.ts), which alone knows the
 * previous slice's last entry. So the slices together check every link, and the first failure of the
 * earliest failing slice is the first failure of the chain.
 */

/** Raw rows of a slice (journal.repository.ts chainSliceRows; positions: journal.hash.ts ChainEntryRaw). */
export interface ChainRows {
  entries: unknown[][];
  postings: unknown[][];
}
type ChainRowReader = (afterSequence: number, uptoSequence: number, limit: number) => ChainRows | Promise<ChainRows>;

/** A head written down (checkpoint, notice): the entry at `sequence` must still hash to `hash`. */
export interface SliceMark {
  source: string;
  sequence: number;
  hash: string;
}

export interface SliceTask {
  after: number;
  upto: number;
  /** The marks with after < sequence ≤ upto. */
  marks: SliceMark[];
}

export interface SliceOutcome {
  /** Entries of the slice verified (before its failure, if any). */
  count: number;
  /** The slice's first entry, for the coordinator's sequence and link checks; null when the slice is empty. */
  first: { id: number; sequence: number; prevHash: string } | null;
  /** The last entry verified: the next slice must continue from it. */
  last: { sequence: number; hash: string } | null;
  /** The slice's first failure (never its first entry's sequence or link: see above). */
  failure: VerifyFailure | null;
}

/** The sequence and link check of one entry against the entry before it, with the walk's exact messages. */
export function linkFailure(
  lastSequence: number,
  prevHash: string,
  entry: { id: number; sequence: number; prevHash: string },
): VerifyFailure | null {
  const expectedSequence = lastSequence + 1;
  if (entry.sequence !== expectedSequence) {
    return {
      problem: 'SEQUENCE_GAP',
      sequence: expectedSequence,
      entryId: entry.id,
      expected: String(expectedSequence),
      stored: String(entry.sequence),
      message: `Entry #${expectedSequence} is missing: the entry after #${lastSequence} is #${entry.sequence}`,
    };
  }
  if (entry.prevHash !== prevHash) {
    return {
      problem: 'PREV_HASH_MISMATCH',
      sequence: entry.sequence,
      entryId: entry.id,
      expected: prevHash,
      stored: entry.prevHash,
      message: `Entry #${entry.sequence} does not point to the hash of entry #${lastSequence}`,
    };
  }
  return null;
}

/**
 * Verifies one slice, reading it in batches of `batchSize` entries (memory is bounded by the batch).
 * `afterBatch` runs after each batch with the entries verified so far (progress, yielding the event loop).
 */
export async function verifySlice(
  read: ChainRowReader,
  task: SliceTask,
  batchSize: number,
  afterBatch?: (verified: number) => void | Promise<void>,
): Promise<SliceOutcome> {
  const marks = new Map<number, SliceMark[]>();
  for (const m of task.marks) marks.set(m.sequence, [...(marks.get(m.sequence) ?? []), m]);
  let first: SliceOutcome['first'] = null;
  let lastSequence = task.after;
  let prevHash = '';
  let count = 0;
  const outcome = (failure: VerifyFailure | null): SliceOutcome => ({
    count,
    first,
    last: count ? { sequence: lastSequence, hash: prevHash } : null,
    failure,
  });

  for (;;) {
    const { entries, postings } = await read(lastSequence, task.upto, batchSize);
    if (!entries.length) break;
    let pi = 0;
    for (let k = 0; k < entries.length; k++) {
      const r: ChainEntryRaw = entries[k];
      const id = r[0] as number;
      const sequence = r[1] as number;
      const storedPrev = r[13] as string;
      const stored = r[14] as string;
      if (first === null) {
        first = { id, sequence, prevHash: storedPrev };
        prevHash = storedPrev;
      } else {
        const broken = linkFailure(lastSequence, prevHash, { id, sequence, prevHash: storedPrev });
        if (broken) return outcome(broken);
      }
      // The batch's postings come in chain order: this entry's are the next run with its id.
      const from = pi;
      while (pi < postings.length && (postings[pi] as ChainPostingRaw)[0] === id) pi++;
      const computed = chainHash(prevHash, canonicalEntryRow(r, postings, from, pi));
      if (computed !== stored) {
        return outcome({
          problem: 'HASH_MISMATCH',
          sequence,
          entryId: id,
          expected: computed,
          stored,
          message: `Entry #${sequence} was altered after it was recorded: its content no longer matches its hash`,
        });
      }
      // A rewriter who also recomputed the hashes could still not make money appear from nowhere unnoticed.
      // Added as doubles (exact while every partial sum is a safe integer), else again as bigints.
      let sum: number | bigint = 0;
      for (let i = from; i < pi; i++) {
        sum += postings[i][4] as number;
        if (!Number.isSafeInteger(sum)) {
          sum = 0n;
          for (let j = from; j < pi; j++) sum += BigInt(postings[j][4] as number);
          break;
        }
      }
      if (sum != 0 || pi - from < 2) {
        return outcome({
          problem: 'UNBALANCED',
          sequence,
          entryId: id,
          expected: '0',
          stored: String(sum),
          message: `Entry #${sequence}'s postings sum to ${sum} fen over ${pi - from} posting(s)`,
        });
      }
      const mark = marks.size ? (marks.get(sequence) ?? []).find((m) => m.hash !== stored) : undefined;
      if (mark) {
        return outcome({
          problem: 'CHECKPOINT_MISMATCH',
          sequence,
          entryId: id,
          expected: mark.hash,
          stored,
          message: `${mark.source} recorded entry #${sequence} with another hash: the chain was rewritten after it`,
        });
      }
      prevHash = stored;
      lastSequence = sequence;
      count++;
    }
    await afterBatch?.(count);
  }
  return outcome(null);
}
