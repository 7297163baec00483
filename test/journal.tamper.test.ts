/**
 * Tamper tests: someone with database access drops the append-only triggers and alters rows behind the
 * application's back. Verification (API and the function the CLI runs) must name the first entry affected.
 * Each test restores the journal afterwards, and verification is intact again, proving the report came
 * from the alteration and nothing else.
 */
import { setup, TestEnv } from './helpers';
import { company, collective, income, post, VERIFY } from './journal.fixtures';
import { V } from '../seeds/demo-data';
import { toInt } from '../src/db/connection';
import { dropAppendOnly, makeAppendOnly } from '../src/db/appendOnly';
import { canonicalEntry, chainHash } from '../src/modules/journal/journal.hash';
import * as repo from '../src/modules/journal/journal.repository';
import { verifyChain } from '../src/modules/journal/journal.verify';

let env: TestEnv;
const TABLES = ['journal_postings', 'journal_entries', 'journal_accounts'];
const N = 10;

beforeAll(async () => {
  env = await setup();
  const payer = await company(env, '篡改测试付款方');
  const a = await collective(env, V.chaping);
  const b = await collective(env, V.qinggang);
  for (let i = 1; i <= N; i++) {
    if (i % 3 === 0) {
      await post(env, {
        postings: [
          { holderPartyId: i % 2 ? a : b, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -100 },
          { holderPartyId: i % 2 ? a : b, kind: 'UPKEEP_RESERVE', amountFen: 100 },
        ],
      });
    } else {
      await income(env, payer, i % 2 ? a : b, 10_000 * i);
    }
  }
});
afterAll(() => env.close());

interface Saved {
  entries: any[];
  postings: any[];
  accounts: any[];
  head: any;
}

async function save(): Promise<Saved> {
  return {
    entries: await env.db('journal_entries').orderBy('id'),
    postings: await env.db('journal_postings').orderBy('id'),
    accounts: await env.db('journal_accounts').orderBy('id'),
    head: await env.db('journal_head').where({ id: 1 }).first(),
  };
}

/** Runs `tamper` with the triggers dropped, verifies, then puts every row back and re-arms the triggers. */
async function tampered(tamper: () => Promise<void>) {
  const saved = await save();
  for (const t of TABLES) await dropAppendOnly(env.db, t);
  try {
    await tamper();
    const viaApi = (await env.gql('finance', VERIFY)).data.journalVerify;
    const direct = await verifyChain(env.db, { batchSize: 3 });
    return { viaApi, direct };
  } finally {
    await env.db('journal_postings').delete();
    await env.db('journal_entries').delete();
    for (const a of saved.accounts) await env.db('journal_accounts').where({ id: a.id }).update(a);
    await env.db('journal_entries').insert(saved.entries);
    await env.db('journal_postings').insert(saved.postings);
    await env.db('journal_head').where({ id: 1 }).update(saved.head);
    for (const t of TABLES) await makeAppendOnly(env.db, t);
    expect((await verifyChain(env.db)).intact).toBe(true);
  }
}

async function entryAt(sequence: number) {
  return env.db('journal_entries').where({ sequence }).first();
}

it('starts intact', async () => {
  const body = (await env.gql('finance', VERIFY)).data.journalVerify;
  expect(body).toMatchObject({ intact: true, count: N, headSequence: N, failure: null });
});

it('reports an altered posting amount as the first failing entry, with expected and stored hash', async () => {
  const target = await entryAt(4);
  const { viaApi, direct } = await tampered(async () => {
    // Move 1 fen between the entry's two postings: still balanced, but no longer what was recorded.
    const postings = await env.db('journal_postings').where({ entry_id: target.id }).orderBy('id');
    await env.db.raw('UPDATE journal_postings SET amount_fen = amount_fen + 1 WHERE id = ?', [postings[0].id]);
    await env.db.raw('UPDATE journal_postings SET amount_fen = amount_fen - 1 WHERE id = ?', [postings[1].id]);
  });
  expect(viaApi).toMatchObject({
    intact: false,
    count: 3,
    headHash: null,
    failure: { problem: 'HASH_MISMATCH', sequence: 4, entryId: `JournalEntry:${target.id}`, stored: target.hash },
  });
  expect(viaApi.failure.expected).toMatch(/^[0-9a-f]{64}$/);
  expect(viaApi.failure.expected).not.toBe(target.hash);
  expect(direct).toMatchObject({ intact: false, failure: { problem: 'HASH_MISMATCH', sequence: 4 } });
});

it('reports an altered memo', async () => {
  const target = await entryAt(7);
  const { viaApi } = await tampered(async () => {
    await env.db.raw(`UPDATE journal_entries SET memo = '改过的摘要' WHERE id = ?`, [target.id]);
  });
  expect(viaApi.failure).toMatchObject({ problem: 'HASH_MISMATCH', sequence: 7, stored: target.hash });
  expect(viaApi.count).toBe(6);
});

it('reports an altered effective date, kind, actor or idempotency key', async () => {
  const target = await entryAt(2);
  for (const change of [
    `effective_on = '2020-01-01'`,
    `kind = 'DISTRIBUTION'`,
    `actor_user_id = ${env.userIds.clerk}`,
    `idempotency_key = 'rewritten-key'`,
    `recorded_at = '2026-01-01T00:00:00.000Z'`,
  ]) {
    const { direct } = await tampered(async () => {
      await env.db.raw(`UPDATE journal_entries SET ${change} WHERE id = ?`, [target.id]);
    });
    expect([change, direct]).toMatchObject([change, { intact: false, failure: { problem: 'HASH_MISMATCH', sequence: 2 } }]);
  }
});

it('reports a posting moved to another account, and an account re-pointed to another kind', async () => {
  const target = await entryAt(5);
  const postings = await env.db('journal_postings').where({ entry_id: target.id }).orderBy('id');
  const other = await env.db('journal_accounts').whereNotIn('id', postings.map((p: any) => p.account_id)).first();
  const moved = await tampered(async () => {
    await env.db.raw('UPDATE journal_postings SET account_id = ? WHERE id = ?', [other.id, postings[1].id]);
  });
  expect(moved.direct).toMatchObject({ intact: false, failure: { problem: 'HASH_MISMATCH', sequence: 5 } });

  // Re-labelling an account changes every entry that posts to it; the first of them is reported.
  const firstUse = await env
    .db('journal_postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .where('p.account_id', postings[1].account_id)
    .min({ s: 'e.sequence' })
    .first();
  const relabelled = await tampered(async () => {
    await env.db.raw(`UPDATE journal_accounts SET kind = 'CASH' WHERE id = ?`, [postings[1].account_id]);
  });
  expect(relabelled.direct).toMatchObject({ intact: false, failure: { problem: 'HASH_MISMATCH', sequence: toInt(firstUse!.s) } });
});

it('reports a rewritten entry whose own hash was recomputed: the next link breaks', async () => {
  const target = await entryAt(3);
  const { viaApi } = await tampered(async () => {
    const entry = repo.toEntry({ ...target, memo: '伪造摘要' });
    const postings = await repo.postingsOf(env.db, [target.id]);
    const hash = chainHash(entry.prevHash, canonicalEntry(entry, postings));
    await env.db.raw(`UPDATE journal_entries SET memo = ?, hash = ? WHERE id = ?`, ['伪造摘要', hash, target.id]);
  });
  expect(viaApi.failure).toMatchObject({ problem: 'PREV_HASH_MISMATCH', sequence: 4 });
});

it('reports money created from nothing even when the whole chain after it was recomputed', async () => {
  const { viaApi } = await tampered(async () => {
    const target = await entryAt(6);
    const [p] = await env.db('journal_postings').where({ entry_id: target.id }).where('amount_fen', '>', 0);
    await env.db.raw('UPDATE journal_postings SET amount_fen = amount_fen + 100000 WHERE id = ?', [p.id]);
    // A thorough forger re-hashes every entry from #6 to the head.
    let prev = (await entryAt(5)).hash;
    for (let s = 6; s <= N; s++) {
      const row = await entryAt(s);
      const entry = repo.toEntry({ ...row, prev_hash: prev });
      const hash = chainHash(prev, canonicalEntry(entry, await repo.postingsOf(env.db, [row.id])));
      await env.db.raw('UPDATE journal_entries SET prev_hash = ?, hash = ? WHERE id = ?', [prev, hash, row.id]);
      prev = hash;
    }
    await env.db('journal_head').where({ id: 1 }).update({ last_hash: prev });
  });
  expect(viaApi.failure).toMatchObject({ problem: 'UNBALANCED', sequence: 6, expected: '0', stored: '100000' });
});

it('reports an entry deleted from the middle as a gap', async () => {
  const target = await entryAt(5);
  const { viaApi } = await tampered(async () => {
    await env.db.raw('DELETE FROM journal_postings WHERE entry_id = ?', [target.id]);
    await env.db.raw('DELETE FROM journal_entries WHERE id = ?', [target.id]);
  });
  expect(viaApi.failure).toMatchObject({ problem: 'SEQUENCE_GAP', sequence: 5, expected: '5', stored: '6' });
  expect(viaApi.count).toBe(4);
});

it('reports entries deleted from the end against the recorded head', async () => {
  const last = await entryAt(N);
  const { viaApi } = await tampered(async () => {
    await env.db.raw('DELETE FROM journal_postings WHERE entry_id = ?', [last.id]);
    await env.db.raw('DELETE FROM journal_entries WHERE id = ?', [last.id]);
  });
  expect(viaApi).toMatchObject({ intact: false, count: N - 1, failure: { problem: 'HEAD_MISMATCH', sequence: N, entryId: null } });
});

it('reports a deleted posting', async () => {
  const target = await entryAt(8);
  const { direct } = await tampered(async () => {
    const [p] = await env.db('journal_postings').where({ entry_id: target.id }).orderBy('id');
    await env.db.raw('DELETE FROM journal_postings WHERE id = ?', [p.id]);
  });
  expect(direct).toMatchObject({ intact: false, failure: { problem: 'HASH_MISMATCH', sequence: 8 } });
});
