/**
 * Verification in slices (issue 16, G7): the chain cut into slices, verified one after another in this thread
 * or in parallel by worker threads (SQLite files), must report exactly what one walk of the whole chain
 * reports — intact with the same count and head, or the same first failure with the same count — wherever the
 * tampered entry lies: inside a slice, at a slice's first or last entry, at the end of the chain, or at a
 * checkpoint. Also: canonicalEntryRow (the raw-row serialiser) writes the bytes canonicalEntry writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { onPostgres, setup, TestEnv } from './helpers';
import { company, collective, income, post } from './journal.fixtures';
import { V } from '../seeds/demo-data';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';
import { canonicalEntry, canonicalEntryRow } from '../src/modules/journal/journal.hash';
import * as repo from '../src/modules/journal/journal.repository';
import { verifyChain, type VerifyOptions } from '../src/modules/journal/journal.verify';

let env: TestEnv;
let dir: string | null = null;
const TABLES = ['journal_postings', 'journal_entries', 'journal_accounts', 'journal_checkpoints'];
const N = 23;

/** One walk (a single slice, this thread): the reference every other way must agree with. */
const WALK: VerifyOptions = { workers: 0, sliceSize: 1_000_000 };
/** Slices of 4 entries: (0,4], (4,8], (8,12], (12,16], (16,20], (20,23]. */
const WAYS: [string, VerifyOptions][] = [
  ['slices in this thread', { workers: 0, sliceSize: 4, batchSize: 3 }],
  ['slices of 5 in this thread, batches of 1', { workers: 0, sliceSize: 5, batchSize: 1 }],
  ...(onPostgres
    ? []
    : ([
        ['2 worker threads', { workers: 2, sliceSize: 4, batchSize: 3 }],
        ['3 worker threads, slices of 5', { workers: 3, sliceSize: 5, batchSize: 2 }],
      ] as [string, VerifyOptions][])),
];

beforeAll(async () => {
  if (!onPostgres) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-slices-'));
  env = await setup(dir ? { sqliteFile: path.join(dir, 'ledger.sqlite') } : {});
  const payer = await company(env, '分片测试付款方');
  const a = await collective(env, V.chaping);
  const b = await collective(env, V.qinggang);
  for (let i = 1; i <= N; i++) {
    if (i % 5 === 0) {
      // Three postings, given with the highest account first: the serialiser must sort them.
      await post(env, {
        postings: [
          { holderPartyId: b, kind: 'UPKEEP_RESERVE', amountFen: 30 },
          { holderPartyId: a, kind: 'UPKEEP_RESERVE', amountFen: 70 },
          { holderPartyId: a, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -100 },
        ],
      });
    } else {
      await income(env, payer, i % 2 ? a : b, 10_000 * i, { memo: i === 7 ? '租金 "引号" \\ 与换行\n' : '租金收入' });
    }
  }
});
afterAll(async () => {
  await env.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function allWays() {
  const reference = await verifyChain(env.db, WALK);
  for (const [name, opts] of WAYS) {
    const timings: VerifyOptions['timings'] = {};
    const result = await verifyChain(env.db, { ...opts, timings });
    expect({ name, result }).toEqual({ name, result: reference });
    // The worker ways really ran in workers (SQLite file), the others here.
    expect({ name, workers: timings.workers }).toEqual({ name, workers: Math.min(opts.workers ?? 0, Math.ceil(N / (opts.sliceSize ?? N))) });
  }
  return reference;
}

/** Alters the journal with the triggers dropped, verifies every way, then puts every row back. */
async function tampered(tamper: () => Promise<void>) {
  const saved = {
    entries: await env.db('journal_entries').orderBy('id'),
    postings: await env.db('journal_postings').orderBy('id'),
    checkpoints: await env.db('journal_checkpoints').orderBy('id'),
    head: await env.db('journal_head').where({ id: 1 }).first(),
  };
  for (const t of TABLES) await dropAppendOnly(env.db, t);
  try {
    await tamper();
    return await allWays();
  } finally {
    await env.db('journal_checkpoints').delete();
    await env.db('journal_postings').delete();
    await env.db('journal_entries').delete();
    await env.db('journal_entries').insert(saved.entries);
    await env.db('journal_postings').insert(saved.postings);
    if (saved.checkpoints.length) await env.db('journal_checkpoints').insert(saved.checkpoints);
    await env.db('journal_head').where({ id: 1 }).update(saved.head);
    for (const t of TABLES) await makeAppendOnly(env.db, t);
    expect((await verifyChain(env.db, WALK)).intact).toBe(true);
  }
}

const entryAt = (sequence: number) => env.db('journal_entries').where({ sequence }).first();

it('an intact chain: every way reports the same count and head', async () => {
  const head = await repo.readHead(env.db);
  expect(await allWays()).toEqual({ intact: true, count: N, headSequence: N, headHash: head.lastHash });
});

it('an altered posting inside a later slice is named, with the count before it', async () => {
  const target = await entryAt(14);
  const r = await tampered(async () => {
    const [p] = await env.db('journal_postings').where({ entry_id: target.id }).orderBy('id');
    await env.db('journal_postings').where({ id: p.id }).update({ amount_fen: p.amount_fen + 1 });
  });
  expect(r).toMatchObject({ intact: false, count: 13, failure: { problem: 'HASH_MISMATCH', sequence: 14, entryId: target.id, stored: target.hash } });
});

it("a slice's first entry pointing elsewhere is a broken link, not only a bad hash", async () => {
  const target = await entryAt(9);
  const before = await entryAt(8);
  const r = await tampered(async () => {
    await env.db('journal_entries').where({ id: target.id }).update({ prev_hash: 'f'.repeat(64) });
  });
  expect(r).toMatchObject({ intact: false, count: 8, failure: { problem: 'PREV_HASH_MISMATCH', sequence: 9, expected: before.hash, stored: 'f'.repeat(64) } });
});

it("a slice's last entry or first entry deleted is a gap", async () => {
  for (const sequence of [12, 13]) {
    const next = await entryAt(sequence + 1);
    const r = await tampered(async () => {
      const target = await entryAt(sequence);
      await env.db('journal_postings').where({ entry_id: target.id }).delete();
      await env.db('journal_entries').where({ id: target.id }).delete();
    });
    expect(r).toMatchObject({ intact: false, count: sequence - 1, failure: { problem: 'SEQUENCE_GAP', sequence, entryId: next.id, stored: String(sequence + 1) } });
  }
});

it('a whole slice deleted is a gap at its first entry; the tail deleted is a short chain', async () => {
  const after = await entryAt(9);
  let r = await tampered(async () => {
    for (const sequence of [5, 6, 7, 8]) {
      const target = await entryAt(sequence);
      await env.db('journal_postings').where({ entry_id: target.id }).delete();
      await env.db('journal_entries').where({ id: target.id }).delete();
    }
  });
  expect(r).toMatchObject({ intact: false, count: 4, failure: { problem: 'SEQUENCE_GAP', sequence: 5, entryId: after.id, stored: '9' } });
  r = await tampered(async () => {
    for (const sequence of [22, 23]) {
      const target = await entryAt(sequence);
      await env.db('journal_postings').where({ entry_id: target.id }).delete();
      await env.db('journal_entries').where({ id: target.id }).delete();
    }
  });
  expect(r).toMatchObject({ intact: false, count: 21, failure: { problem: 'HEAD_MISMATCH', sequence: N } });
});

it('an unbalanced entry re-hashed to fit, and a checkpoint in a later slice that no longer matches', async () => {
  // Postings of entry #18 changed and its hash (and every later link) recomputed by the forger: the chain
  // links hold, the balance does not.
  const target = await entryAt(18);
  let r = await tampered(async () => {
    const [p] = await env.db('journal_postings').where({ entry_id: target.id }).orderBy('id');
    await env.db('journal_postings').where({ id: p.id }).update({ amount_fen: p.amount_fen + 5 });
    await rehashFrom(18);
  });
  expect(r).toMatchObject({ intact: false, count: 17, failure: { problem: 'UNBALANCED', sequence: 18, stored: '5' } });

  r = await tampered(async () => {
    await repo.insertCheckpoint(env.db, { sequence: 19, hash: 'e'.repeat(64), actorUserId: env.userIds.admin, recordedAt: env.clock.now() });
  });
  expect(r).toMatchObject({ intact: false, count: 18, failure: { problem: 'CHECKPOINT_MISMATCH', sequence: 19, expected: 'e'.repeat(64) } });
});

/** What a forger with the hash function does: recompute every hash from `sequence` on. */
async function rehashFrom(sequence: number) {
  const { entryHash } = await import('../src/modules/journal/journal.hash');
  let prev = (await entryAt(sequence - 1)).hash;
  for (let s = sequence; s <= N; s++) {
    const e = repo.toEntry(await entryAt(s));
    const postings = await repo.postingsOf(env.db, [e.id]);
    const hash = entryHash(prev, e, postings);
    await env.db('journal_entries').where({ id: e.id }).update({ prev_hash: prev, hash });
    prev = hash;
  }
  await env.db('journal_head').where({ id: 1 }).update({ last_hash: prev });
}

it('canonicalEntryRow writes the bytes canonicalEntry writes, postings in any order', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const int = fc.integer({ min: -1e6, max: 1e6 });
  fc.assert(
    fc.property(
      fc.record({
        sequence: fc.nat(), kind: text, effectiveOn: text, memo: text, sourceType: fc.option(text), sourceId: fc.nat(),
        assetId: fc.option(fc.nat()), reversesEntryId: fc.option(fc.nat()), idempotencyKey: text,
        requestFingerprint: text, actorUserId: fc.nat(), recordedAt: text,
      }),
      fc.array(fc.record({ accountId: fc.nat({ max: 5 }), holderPartyId: fc.nat(), accountKind: text, amountFen: int }), { maxLength: 4 }),
      (e, postings) => {
        const row = [1, e.sequence, e.kind, e.effectiveOn, e.memo, e.sourceType, e.sourceId, e.assetId, e.reversesEntryId,
          e.idempotencyKey, e.requestFingerprint, e.actorUserId, e.recordedAt, 'prev', 'hash'];
        // Another entry's postings around this one's run, as in a batch.
        const rows = [[0, 9, 9, 'X', 1], ...postings.map((p) => [1, p.accountId, p.holderPartyId, p.accountKind, p.amountFen]), [2, 0, 0, 'Y', 2]];
        expect(canonicalEntryRow(row, rows, 1, rows.length - 1)).toBe(canonicalEntry(e as any, postings as any));
      },
    ),
    { numRuns: 300 },
  );
});
