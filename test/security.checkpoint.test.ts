/**
 * Issue 8, item 8: deleting the last entries (and resetting the head) no longer goes unnoticed. An
 * auditor's checkpoint and every published notice keep the head; verification fails when one names an
 * entry or hash that is no longer on the chain.
 */
import { setup, TestEnv, snapshot } from './helpers';
import { dropAppendOnly } from '../src/db/appendOnly';
import { fundVillage, households, planAt } from './distribution.helpers';
import { VERIFY } from './journal.fixtures';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
  await fundVillage(env, V.chaping, 100_000_000);
  await fundVillage(env, V.chaping, 5_000);
});
afterAll(() => env.close());

const CHECKPOINT = `mutation { journalCheckpoint { checkpoint { id sequence hash recordedAt actor { name } } errors { code } } }`;

it.each(['clerk', 'planner', 'otherClerk'] as const)('%s may not record a checkpoint (FORBIDDEN, nothing written)', async (token) => {
  const before = await snapshot(env.db, ['journal_checkpoints']);
  const body = await env.gql(token, CHECKPOINT);
  expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  expect(await snapshot(env.db, ['journal_checkpoints'])).toEqual(before);
});

it('a published notice carries the journal head at publication', async () => {
  const hs = await households(env, 2);
  await planAt(env, 'IN_NOTICE', hs);
  const head = await env.db('journal_head').where({ id: 1 }).first();
  const notice = await env.db('distribution_notices').orderBy('id', 'desc').first();
  expect({ sequence: Number(notice.journal_sequence), hash: notice.journal_hash }).toEqual({ sequence: Number(head.last_sequence), hash: head.last_hash });
});

it('records the head, and verification fails once the last entry is deleted and the head reset', async () => {
  const cp = await env.gql('finance', CHECKPOINT);
  const head = await env.db('journal_head').where({ id: 1 }).first();
  expect(cp.data.journalCheckpoint.checkpoint).toMatchObject({ sequence: Number(head.last_sequence), hash: head.last_hash, actor: { name: '县财政' } });
  expect((await env.gql('finance', VERIFY)).data.journalVerify.intact).toBe(true);

  // A database administrator removes the last entry and sets the head back to the entry before it.
  for (const t of ['journal_entries', 'journal_postings']) await dropAppendOnly(env.db, t);
  const last = await env.db('journal_entries').orderBy('sequence', 'desc').first();
  const previous = await env.db('journal_entries').where({ sequence: Number(last.sequence) - 1 }).first();
  await env.db('journal_postings').where({ entry_id: last.id }).delete();
  // Rows that name the entry go with it (a plan's claim on the receipt, the income record).
  await env.db('distribution_plan_receipts').where({ entry_id: last.id }).delete();
  await dropAppendOnly(env.db, 'income_records');
  await env.db('income_records').where({ entry_id: last.id }).delete();
  await env.db('journal_entries').where({ id: last.id }).delete();
  await env.db('journal_head').where({ id: 1 }).update({ last_sequence: previous.sequence, last_hash: previous.hash });

  const v = (await env.gql('finance', VERIFY)).data.journalVerify;
  expect(v.intact).toBe(false);
  expect(v.failure).toMatchObject({ problem: 'CHECKPOINT_MISMATCH', sequence: Number(last.sequence) });
});
