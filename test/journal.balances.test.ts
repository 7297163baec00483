/**
 * 账户余额 The running balance per account (issue 16): account_balances moves with every posting, in the
 * same transaction, on every path that writes postings (postEntry, postEntries, reversals), and not at all
 * when the transaction rolls back or a post is refused. The balance rules read it (a post costs the same
 * whatever the account's history). Verify recomputes every row from the postings: a stored balance, count
 * or last entry that disagrees, or a missing row, is reported as DOMAIN_MISMATCH naming the account.
 */
import { setup, TestEnv } from './helpers';
import { company, collective, income, newKey, post } from './journal.fixtures';
import { V } from '../seeds/demo-data';
import { postEntries, reverseEntry, EntryRequest } from '../src/modules/journal/journal.service';
import { requestFingerprint } from '../src/modules/journal/journal.hash';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { checkStoredBalances } from '../src/modules/journal/journal.reconcile';
import { currentBalances } from '../src/modules/journal/journal.repository';

let env: TestEnv;
let payer: number;
let chaping: number;
let jintai: number;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '经营方');
  chaping = await collective(env, V.chaping);
  jintai = await collective(env, V.jintai);
});
afterAll(() => env.close());

/** Each account's postings summed (exactly, as text) beside its stored row. */
async function ledger() {
  const posted = await env.db('journal_postings')
    .groupBy('account_id')
    .orderBy('account_id')
    .select('account_id', env.db.raw('cast(sum(amount_fen) as text) as balance'), env.db.raw('count(*) as n'), env.db.raw('max(entry_id) as last'));
  const stored = await env.db('account_balances').orderBy('account_id');
  return {
    posted: posted.map((r: any) => ({ account: r.account_id, balance: String(r.balance), n: Number(r.n), last: Number(r.last) })),
    stored: stored.map((r: any) => ({ account: r.account_id, balance: String(r.balance_fen), n: Number(r.postings_count), last: Number(r.last_entry_id) })),
  };
}

async function expectBalancesAgree() {
  const { posted, stored } = await ledger();
  expect(posted.length).toBeGreaterThan(0);
  expect(stored).toEqual(posted);
  expect(await checkStoredBalances(env.db, 0, 10_000)).toMatchObject({ wrong: null });
}

const transfer = (from: number, to: number, amountFen: number, key = newKey('t')): EntryRequest => ({
  kind: 'TRANSFER',
  effectiveOn: '2025-06-30',
  memo: '划转',
  idempotencyKey: key,
  requestFingerprint: requestFingerprint('test', env.userIds.admin, { key }),
  postings: [
    { holderPartyId: from, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -amountFen },
    { holderPartyId: to, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen },
  ],
});

it('after single posts, a batch and a reversal, every account holds what its postings sum to', async () => {
  await income(env, payer, chaping, 100_000);
  await income(env, payer, jintai, 7_000);
  await expectBalancesAgree();
  // The batch path: several entries touching the same accounts, summed once per account.
  await env.db.transaction((trx) =>
    postEntries(env.svc('admin', trx), [transfer(chaping, jintai, 1_000), transfer(jintai, chaping, 500), transfer(chaping, jintai, 2_500)]),
  );
  await expectBalancesAgree();
  const balances = await currentBalances(env.db, (await env.db('account_balances').select('account_id')).map((r: any) => r.account_id));
  expect([...balances.values()].reduce((s, b) => s + b, 0)).toBe(0);
  const { entry } = await income(env, payer, chaping, 3_333);
  await env.db.transaction((trx) => reverseEntry(env.svc('admin', trx), { entryId: entry.id, reason: '录错', idempotencyKey: newKey('rev') }));
  await expectBalancesAgree();
});

it('a rolled-back transaction and a refused post leave the balances as they were', async () => {
  const before = await env.db('account_balances').orderBy('account_id');
  await expect(
    env.db.transaction(async (trx) => {
      await postEntries(env.svc('admin', trx), [transfer(chaping, jintai, 10)]);
      throw new Error('the caller fails after posting');
    }),
  ).rejects.toThrow('the caller fails after posting');
  // An overdraft of a pot that must not go negative: refused against the stored balance.
  const held = (await currentBalances(env.db, [(await env.db('journal_accounts').where({ holder_party_id: jintai, kind: 'INCOME_PENDING_DISTRIBUTION' }).first()).id])).values().next().value!;
  await expect(post(env, transfer(jintai, chaping, held + 1))).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
  await expect(env.db.transaction((trx) => postEntries(env.svc('admin', trx), [transfer(jintai, chaping, held), transfer(jintai, chaping, 1)]))).rejects.toMatchObject({
    code: 'INSUFFICIENT_BALANCE',
  });
  expect(await env.db('account_balances').orderBy('account_id')).toEqual(before);
  await expectBalancesAgree();
  // Exactly the whole of it may be taken.
  await post(env, transfer(jintai, chaping, held));
  await expectBalancesAgree();
});

describe('verify recomputes the running balances', () => {
  const account = async () => (await env.db('account_balances').orderBy('account_id').first()) as any;
  const tampered = async (change: () => Promise<unknown>, restore: () => Promise<unknown>, accountId: number) => {
    await change();
    try {
      const v = await verifyChain(env.db);
      expect(v.intact).toBe(false);
      if (!v.intact) {
        expect(v.failure.problem).toBe('DOMAIN_MISMATCH');
        expect(v.failure.expected).toBe(`account_balances #${accountId}`);
        expect(v.failure.message).toContain(`Account #${accountId}`);
      }
    } finally {
      await restore();
    }
    expect(await verifyChain(env.db)).toMatchObject({ intact: true });
  };

  it('an intact journal verifies', async () => {
    expect(await verifyChain(env.db)).toMatchObject({ intact: true });
  });

  it.each([
    ['balance_fen', (v: any) => Number(v) + 1],
    ['postings_count', (v: any) => Number(v) - 1],
    ['last_entry_id', (v: any) => Number(v) - 1],
  ])('a rewritten %s is reported, naming the account', async (column, change) => {
    const row = await account();
    await tampered(
      () => env.db('account_balances').where({ account_id: row.account_id }).update({ [column]: change(row[column]) }),
      () => env.db('account_balances').where({ account_id: row.account_id }).update({ [column]: row[column] }),
      row.account_id,
    );
  });

  it('a deleted row of an account with postings is reported', async () => {
    const row = await account();
    await tampered(
      () => env.db('account_balances').where({ account_id: row.account_id }).delete(),
      () => env.db('account_balances').insert(row),
      row.account_id,
    );
  });
});

it('the migration rolls back, and builds the rows again from the postings already written', async () => {
  const before = await ledger();
  const migration = await import('../migrations/20261205100000_account_balances');
  await migration.down(env.db);
  expect(await env.db.schema.hasTable('account_balances')).toBe(false);
  await migration.up(env.db);
  expect(await ledger()).toEqual(before);
  await expectBalancesAgree();
  expect(await verifyChain(env.db)).toMatchObject({ intact: true });
});
