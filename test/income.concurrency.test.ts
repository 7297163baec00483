/**
 * Parallel incomeRecord requests through HTTP. On PostgreSQL they run in parallel transactions (pool of 10)
 * and serialise on the journal lock taken first; on SQLite they queue for the one connection. Either way the
 * chain must verify, every receipt be booked once, and retries with one key post once.
 */
import { setup, TestEnv, count } from './helpers';
import { company } from './journal.fixtures';
import { incomeInput, key, lease, ownedAsset, recordIncome } from './income.helpers';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { toInt } from '../src/db/connection';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let payer: number;
let joint: { id: string };
let single: { id: string };
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  joint = await ownedAsset(env, [
    { villageCode: V.chaping, shareBp: 3333 },
    { villageCode: V.jintai, shareBp: 3333 },
    { villageCode: V.shiqiao, shareBp: 3334 },
  ]);
  single = await ownedAsset(env);
  await lease(env, single.id, payer);
});
afterAll(() => env.close());

const PARALLEL = 10;

async function expectIntactChain() {
  const result = await verifyChain(env.db);
  expect(result.intact).toBe(true);
  const rows = await env.db('journal_entries').orderBy('sequence').select('sequence', 'prev_hash', 'hash');
  expect(rows.map((r: any) => toInt(r.sequence))).toEqual(rows.map((_: unknown, i: number) => i + 1));
  for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  expect(result.count).toBe(rows.length);
  const gql = await env.gql('finance', `{ journalVerify { intact count } }`);
  expect(gql.data.journalVerify).toEqual({ intact: true, count: rows.length });
}

async function pendingOf(villageCode: string): Promise<number> {
  const party = await env.db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: villageCode }).first();
  const r = await env
    .db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .where({ 'a.holder_party_id': party.id, 'a.kind': 'INCOME_PENDING_DISTRIBUTION' })
    .sum({ s: 'p.amount_fen' })
    .first();
  return toInt(r?.s);
}

it(`books ${PARALLEL} parallel receipts of a joint asset, each split exactly, without forking the chain`, async () => {
  const amounts = Array.from({ length: PARALLEL }, (_, i) => 10_001 + 7 * i); // odd fen amounts
  const bodies = await Promise.all(
    amounts.map((fen) => recordIncome(env, incomeInput(joint.id, payer, { kind: 'DIVIDEND', amount: (fen / 100).toFixed(2) }))),
  );
  expect(bodies.map((b) => b.data.incomeRecord.errors)).toEqual(bodies.map(() => []));
  expect(new Set(bodies.map((b) => b.data.incomeRecord.entry.sequence)).size).toBe(PARALLEL);
  expect(await count(env.db, 'income_records', { asset_id: Number(joint.id.split(':')[1]) })).toBe(PARALLEL);
  const total = amounts.reduce((s, a) => s + a, 0);
  const pending = (await pendingOf(V.chaping)) + (await pendingOf(V.jintai)) + (await pendingOf(V.shiqiao));
  expect(pending).toBe(total);
  await expectIntactChain();
});

it(`posts once for ${PARALLEL} parallel retries with one key`, async () => {
  const input = incomeInput(single.id, payer, { idempotencyKey: key('same') });
  const before = await count(env.db, 'journal_entries');
  const bodies = await Promise.all(Array.from({ length: PARALLEL }, () => recordIncome(env, input)));
  expect(bodies.map((b) => b.data.incomeRecord.errors)).toEqual(bodies.map(() => []));
  expect(bodies.filter((b) => b.data.incomeRecord.replayed)).toHaveLength(PARALLEL - 1);
  expect(new Set(bodies.map((b) => b.data.incomeRecord.income.id)).size).toBe(1);
  expect(await count(env.db, 'journal_entries')).toBe(before + 1);
  expect(await count(env.db, 'income_records', { voucher_no: input.voucherNo })).toBe(1);
  await expectIntactChain();
});

it('interleaves receipts on two assets with reversals of earlier receipts', async () => {
  const earlier = [];
  for (let i = 0; i < PARALLEL / 2; i++) {
    const b = await recordIncome(env, incomeInput(single.id, payer, { amount: '100.00' }));
    earlier.push(b.data.incomeRecord.entry.id);
  }
  const requests = [
    ...earlier.map((entryId) =>
      env.gql('finance', `mutation($input: JournalEntryReverseInput!) { journalEntryReverse(input: $input) { errors { code } } }`, {
        input: { entryId, reason: '并发冲销', idempotencyKey: key('rev') },
      }),
    ),
    ...Array.from({ length: PARALLEL / 2 }, (_, i) => recordIncome(env, incomeInput(i % 2 ? single.id : joint.id, payer, { amount: '1.01', kind: 'DIVIDEND' }))),
  ];
  const bodies = await Promise.all(requests);
  expect(bodies.map((b) => (b.data.journalEntryReverse ?? b.data.incomeRecord).errors)).toEqual(bodies.map(() => []));
  await expectIntactChain();
});
