/**
 * Concurrent writers through HTTP: on PostgreSQL the requests really run in parallel transactions (pool of
 * 10); on SQLite they queue for the one connection. Either way the chain must not fork, the sequence must
 * have no gaps or duplicates, and no account may be overdrawn.
 */
import { setup, TestEnv, onPostgres } from './helpers';
import { company, collective, income, post, newKey, REVERSE, VERIFY } from './journal.fixtures';
import { V } from '../seeds/demo-data';
import { toInt } from '../src/db/connection';

let env: TestEnv;
let payer: number;
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '云顶镇旅游开发有限公司');
});
afterAll(() => env.close());

const PARALLEL = 20;

async function expectIntactChain() {
  const verify = (await env.gql('finance', VERIFY)).data.journalVerify;
  expect(verify).toMatchObject({ intact: true, failure: null });
  const rows = await env.db('journal_entries').orderBy('sequence').select('sequence', 'prev_hash', 'hash');
  expect(rows.map((r: any) => toInt(r.sequence))).toEqual(rows.map((_: unknown, i: number) => i + 1));
  for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  expect(verify.count).toBe(rows.length);
}

async function forbiddenNegatives(): Promise<unknown[]> {
  return env
    .db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .whereNotIn('a.kind', ['EXTERNAL_COUNTERPARTY', 'OPENING_BALANCE'])
    .groupBy('a.id')
    .havingRaw('sum(p.amount_fen) < 0')
    .select('a.id');
}

it(`appends ${PARALLEL} parallel reversals without forking the chain`, async () => {
  const village = await collective(env, V.songlin);
  const originals = [];
  for (let i = 0; i < PARALLEL; i++) originals.push(await income(env, payer, village, 1_000 + i));
  const bodies = await Promise.all(
    originals.map((o) =>
      env.gql('finance', REVERSE, { input: { entryId: `JournalEntry:${o.entry.id}`, reason: '并发测试', idempotencyKey: newKey('par') } }),
    ),
  );
  expect(bodies.map((b) => b.data.journalEntryReverse.errors)).toEqual(bodies.map(() => []));
  await expectIntactChain();
  expect(await forbiddenNegatives()).toEqual([]);
});

it('never overdraws an account: of 20 parallel reversals needing 100 each from 500, exactly 5 succeed', async () => {
  const village = await collective(env, V.baiyang);
  const originals = [];
  for (let i = 0; i < PARALLEL; i++) originals.push(await income(env, payer, village, 100));
  // 1500 of the 2000 received are distributed: reversing an income needs 100 still pending.
  await post(env, {
    kind: 'DISTRIBUTION',
    postings: [
      { holderPartyId: village, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -1_500 },
      { holderPartyId: village, kind: 'COLLECTIVE_RETENTION', amountFen: 1_500 },
    ],
  });
  const bodies = await Promise.all(
    originals.map((o) =>
      env.gql('admin', REVERSE, { input: { entryId: `JournalEntry:${o.entry.id}`, reason: '并发透支测试', idempotencyKey: newKey('od') } }),
    ),
  );
  const codes = bodies.map((b) => b.data.journalEntryReverse.errors[0]?.code ?? 'OK');
  expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
  expect(codes.filter((c) => c === 'INSUFFICIENT_BALANCE')).toHaveLength(15);
  const bal = await env.gql('finance', `query($h: ID!) { accountBalance(holderId: $h, kind: INCOME_PENDING_DISTRIBUTION) { balance } }`, {
    h: `Party:${village}`,
  });
  expect(bal.data.accountBalance.balance).toBe('0.00');
  await expectIntactChain();
  expect(await forbiddenNegatives()).toEqual([]);
});

it('posts once for 20 parallel retries with one idempotency key', async () => {
  const village = await collective(env, V.yundingCommunity);
  const original = await income(env, payer, village, 4_200);
  const input = { entryId: `JournalEntry:${original.entry.id}`, reason: '重复提交', idempotencyKey: newKey('same') };
  const before = toInt((await env.db('journal_entries').count({ n: '*' }).first())!.n);
  const bodies = await Promise.all(Array.from({ length: PARALLEL }, () => env.gql('finance', REVERSE, { input })));
  const payloads = bodies.map((b) => b.data.journalEntryReverse);
  expect(payloads.map((p) => p.errors)).toEqual(payloads.map(() => []));
  expect(new Set(payloads.map((p) => p.entry.id)).size).toBe(1);
  expect(payloads.filter((p) => !p.replayed)).toHaveLength(1);
  expect(toInt((await env.db('journal_entries').count({ n: '*' }).first())!.n)).toBe(before + 1);
  await expectIntactChain();
});

it('serialises writers that post straight through the service layer too', async () => {
  const village = await collective(env, V.jintai);
  // Mixed writers on separate transactions: incomes and transfers competing for the same accounts.
  await income(env, payer, village, 10_000);
  const results = await Promise.allSettled(
    Array.from({ length: PARALLEL }, (_, i) =>
      i % 2
        ? income(env, payer, village, 500)
        : post(env, {
            postings: [
              { holderPartyId: village, kind: 'INCOME_PENDING_DISTRIBUTION', amountFen: -1_500 },
              { holderPartyId: village, kind: 'UPKEEP_RESERVE', amountFen: 1_500 },
            ],
          }),
    ),
  );
  // 10_000 + 10×500 = 15_000 available at most, 10 transfers of 1_500 = 15_000 wanted: some may be refused
  // depending on the order, but never with a database error, and never overdrawn.
  for (const r of results) {
    if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('INSUFFICIENT_BALANCE');
  }
  await expectIntactChain();
  expect(await forbiddenNegatives()).toEqual([]);
  if (onPostgres) expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(10);
});
