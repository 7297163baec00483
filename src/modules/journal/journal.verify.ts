import type { Executor } from '../../db/connection';
import { canonicalEntry, chainHash, GENESIS_HASH } from './journal.hash';
import * as repo from './journal.repository';
import { firstDisagreement } from './journal.reconcile';
import type { VerifyFailure, VerifyResult } from './journal.types';

export interface VerifyOptions {
  /** Entries read per batch; memory stays bounded by this, whatever the journal's length. */
  batchSize?: number;
  /** Called after each batch with the number of entries checked so far (CLI progress). */
  onProgress?: (checked: number) => void;
}

/**
 * Walks the chain from the first entry to the recorded head, in batches (keyset on sequence), recomputing
 * every hash from the stored rows. Reports the first failure: a gap in the sequence, an entry that does
 * not point to its predecessor's hash, content that no longer hashes to the stored hash, postings that do
 * not balance, or a chain that ends short of (or differently from) the head.
 *
 * The head is read first and only entries up to it are checked, so appends made while verifying neither
 * disturb the walk nor need a long-running transaction (which on SQLite would block every writer).
 */
export async function verifyChain(db: Executor, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? 5000;
  const head = await repo.readHead(db);
  // Heads written down earlier (checkpoints, notices): each must still be on the chain (issue 8).
  const marks = new Map<number, repo.HeadMark[]>();
  for (const m of await repo.headMarks(db)) marks.set(m.sequence, [...(marks.get(m.sequence) ?? []), m]);
  let prevHash = GENESIS_HASH;
  let lastSequence = 0;
  let count = 0;
  const fail = (f: VerifyFailure): VerifyResult => ({ intact: false, count, failure: f });

  for (;;) {
    const { entries, postings: slicePostings } = await repo.chainSlice(db, lastSequence, head.lastSequence, batchSize);
    if (!entries.length) break;
    let pi = 0;

    for (const e of entries) {
      const expectedSequence = lastSequence + 1;
      if (e.sequence !== expectedSequence) {
        return fail({
          problem: 'SEQUENCE_GAP',
          sequence: expectedSequence,
          entryId: e.id,
          expected: String(expectedSequence),
          stored: String(e.sequence),
          message: `Entry #${expectedSequence} is missing: the entry after #${lastSequence} is #${e.sequence}`,
        });
      }
      if (e.prevHash !== prevHash) {
        return fail({
          problem: 'PREV_HASH_MISMATCH',
          sequence: e.sequence,
          entryId: e.id,
          expected: prevHash,
          stored: e.prevHash,
          message: `Entry #${e.sequence} does not point to the hash of entry #${lastSequence}`,
        });
      }
      // The slice's postings come in chain order: this entry's are the next run with its id.
      const from = pi;
      while (pi < slicePostings.length && slicePostings[pi].entryId === e.id) pi++;
      const postings = slicePostings.slice(from, pi);
      const computed = chainHash(prevHash, canonicalEntry(e, postings));
      if (computed !== e.hash) {
        return fail({
          problem: 'HASH_MISMATCH',
          sequence: e.sequence,
          entryId: e.id,
          expected: computed,
          stored: e.hash,
          message: `Entry #${e.sequence} was altered after it was recorded: its content no longer matches its hash`,
        });
      }
      // A rewriter who also recomputed the hashes could still not make money appear from nowhere unnoticed.
      // Added as doubles (exact while every partial sum is a safe integer), else again as bigints.
      let sum: number | bigint = 0;
      for (const p of postings) {
        sum += p.amountFen;
        if (!Number.isSafeInteger(sum)) {
          sum = postings.reduce((s, q) => s + BigInt(q.amountFen), 0n);
          break;
        }
      }
      if (sum != 0 || postings.length < 2) {
        return fail({
          problem: 'UNBALANCED',
          sequence: e.sequence,
          entryId: e.id,
          expected: '0',
          stored: String(sum),
          message: `Entry #${e.sequence}'s postings sum to ${sum} fen over ${postings.length} posting(s)`,
        });
      }
      const broken = (marks.get(e.sequence) ?? []).find((m) => m.hash !== e.hash);
      if (broken) {
        return fail({
          problem: 'CHECKPOINT_MISMATCH',
          sequence: e.sequence,
          entryId: e.id,
          expected: broken.hash,
          stored: e.hash,
          message: `${broken.source} recorded entry #${e.sequence} with another hash: the chain was rewritten after it`,
        });
      }
      prevHash = e.hash;
      lastSequence = e.sequence;
      count++;
    }
    opts.onProgress?.(count);
    // Let the event loop breathe between slices: on SQLite the reads are synchronous, and a server verifying
    // a million entries must still answer other requests meanwhile.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  if (lastSequence !== head.lastSequence || prevHash !== head.lastHash) {
    return fail({
      problem: 'HEAD_MISMATCH',
      sequence: head.lastSequence,
      entryId: null,
      expected: `#${head.lastSequence} ${head.lastHash}`,
      stored: `#${lastSequence} ${prevHash}`,
      message: `The chain ends at #${lastSequence} but the journal head records #${head.lastSequence}: entries are missing or were replaced at the end`,
    });
  }
  const beyond = [...marks.values()].flat().find((m) => m.sequence > lastSequence);
  if (beyond) {
    return fail({
      problem: 'CHECKPOINT_MISMATCH',
      sequence: beyond.sequence,
      entryId: null,
      expected: `#${beyond.sequence} ${beyond.hash}`,
      stored: `#${lastSequence} ${prevHash}`,
      message: `${beyond.source} recorded entry #${beyond.sequence}, but the chain ends at #${lastSequence}: entries were deleted`,
    });
  }
  // The chain is intact; now the books around it (issue 8): each money-bearing row against its entry.
  const off = await firstDisagreement(db);
  if (off) {
    return fail({
      problem: 'DOMAIN_MISMATCH',
      sequence: 0,
      entryId: off.entryId,
      expected: `${off.table} #${off.rowId}`,
      stored: off.entryId === null ? 'no entry' : `entry id ${off.entryId}`,
      message: off.message,
    });
  }
  return { intact: true, count, headSequence: head.lastSequence, headHash: head.lastHash };
}
