/**
 * Property-based: random sequences of income, transfers, reversals and retries, run through the service layer
 * one transaction each, keep every invariant of the journal:
 *  - each operation succeeds exactly when a simple in-memory model says it should (and writes nothing when not);
 *  - every entry's postings sum to zero, with at least two postings;
 *  - every balance equals the sum of its postings, and the model's balance;
 *  - no account of a kind that forbids it is below zero;
 *  - the hash chain verifies, with one entry per successful operation.
 */
import fc from 'fast-check';
import { setup, TestEnv } from './helpers';
import { company, collective, newKey } from './journal.fixtures';
import { V } from '../seeds/demo-data';
import { DomainError, DomainErrors } from '../src/shared/errors';
import { toInt } from '../src/db/connection';
import { accountBalance, postEntry, reverseEntry } from '../src/modules/journal/journal.service';
import { requestFingerprint } from '../src/modules/journal/journal.hash';
import { verifyChain } from '../src/modules/journal/journal.verify';
import type { AccountKind } from '../src/modules/journal/journal.types';

let env: TestEnv;
let payer: number;
let villages: number[];
beforeAll(async () => {
  env = await setup();
  payer = await company(env, '随机付款方');
  villages = [await collective(env, V.chaping), await collective(env, V.jintai), await collective(env, V.shiqiao)];
});
afterAll(() => env.close());

const POTS: AccountKind[] = ['INCOME_PENDING_DISTRIBUTION', 'COLLECTIVE_RETENTION', 'UPKEEP_RESERVE', 'PAYABLE_TO_HOUSEHOLDS'];

type Op =
  | { op: 'income'; village: number; amount: number; day: number }
  | { op: 'transfer'; from: [number, number]; to: [number, number]; amount: number }
  | { op: 'reverse'; pick: number }
  | { op: 'retry'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('income' as const), village: fc.nat(2), amount: fc.integer({ min: 1, max: 1_000_000 }), day: fc.integer({ min: 1, max: 28 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('transfer' as const),
      from: fc.tuple(fc.nat(2), fc.nat(3)),
      to: fc.tuple(fc.nat(2), fc.nat(3)),
      amount: fc.integer({ min: 1, max: 800_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retry' as const), pick: fc.nat() }) },
);

interface ModelPosting {
  holder: number;
  kind: AccountKind;
  amount: number;
}
interface ModelEntry {
  id: number;
  postings: ModelPosting[];
  isReversal: boolean;
  reversed: boolean;
  /** Re-runs the request that made it, with the same key (for retries). */
  resubmit: () => Promise<unknown>;
}

const keyOf = (holder: number, kind: AccountKind) => `${holder}/${kind}`;

async function rejected(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    if (e instanceof DomainErrors) return e.errors[0].code;
    throw e;
  }
}

async function entryCount(): Promise<number> {
  return toInt((await env.db('journal_entries').count({ n: '*' }).first())!.n);
}

it('random income, transfers, reversals and retries keep every invariant', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
      const admin = env.svc('admin');
      // The model starts from the database's balances: runs share one database.
      const model = new Map<string, number>();
      for (const v of villages) {
        for (const k of POTS) model.set(keyOf(v, k), (await accountBalance(admin, v, k))!.balanceFen);
      }
      model.set(keyOf(payer, 'EXTERNAL_COUNTERPARTY'), (await accountBalance(admin, payer, 'EXTERNAL_COUNTERPARTY'))!.balanceFen);
      const entries: ModelEntry[] = [];
      const countBefore = await entryCount();
      let posted = 0;

      const canApply = (postings: ModelPosting[]) =>
        postings.every((p) => p.kind === 'EXTERNAL_COUNTERPARTY' || model.get(keyOf(p.holder, p.kind))! + p.amount >= 0);
      const apply = (postings: ModelPosting[]) => {
        for (const p of postings) model.set(keyOf(p.holder, p.kind), model.get(keyOf(p.holder, p.kind))! + p.amount);
      };
      const postOnce = (key: string, kind: 'INCOME' | 'TRANSFER', effectiveOn: string, postings: ModelPosting[]) =>
        env.db.transaction((trx) =>
          postEntry(env.svc('admin', trx), {
            kind,
            effectiveOn,
            memo: `${kind} ${key}`,
            idempotencyKey: key,
            requestFingerprint: requestFingerprint('property', env.userIds.admin, { key }),
            postings: postings.map((p) => ({ holderPartyId: p.holder, kind: p.kind, amountFen: p.amount })),
          }),
        );

      for (const op of ops) {
        if (op.op === 'income' || op.op === 'transfer') {
          const postings: ModelPosting[] =
            op.op === 'income'
              ? [
                  { holder: payer, kind: 'EXTERNAL_COUNTERPARTY', amount: -op.amount },
                  { holder: villages[op.village], kind: 'INCOME_PENDING_DISTRIBUTION', amount: op.amount },
                ]
              : [
                  { holder: villages[op.from[0]], kind: POTS[op.from[1]], amount: -op.amount },
                  { holder: villages[op.to[0]], kind: POTS[op.to[1]], amount: op.amount },
                ];
          const sameAccount = op.op === 'transfer' && op.from[0] === op.to[0] && op.from[1] === op.to[1];
          const key = newKey(op.op);
          const date = op.op === 'income' ? `2025-03-${String(op.day).padStart(2, '0')}` : '2025-06-30';
          const kind = op.op === 'income' ? 'INCOME' : 'TRANSFER';
          let result: Awaited<ReturnType<typeof postOnce>> | undefined;
          const code = await rejected(postOnce(key, kind, date, postings).then((r) => (result = r)));
          const expected = sameAccount ? 'INVALID_POSTINGS' : canApply(postings) ? null : 'INSUFFICIENT_BALANCE';
          expect(code).toBe(expected);
          if (!code) {
            apply(postings);
            posted++;
            entries.push({ id: result!.entry.id, postings, isReversal: false, reversed: false, resubmit: () => postOnce(key, kind, date, postings) });
          }
        } else if (op.op === 'reverse') {
          if (!entries.length) continue;
          const target = entries[op.pick % entries.length];
          const negated = target.postings.map((p) => ({ ...p, amount: -p.amount }));
          const input = { entryId: target.id, reason: 'property test', idempotencyKey: newKey('rev') };
          const run = () => env.db.transaction((trx) => reverseEntry(env.svc('admin', trx), input));
          let result: Awaited<ReturnType<typeof run>> | undefined;
          const code = await rejected(run().then((r) => (result = r)));
          const expected = target.isReversal
            ? 'CANNOT_REVERSE_REVERSAL'
            : target.reversed
              ? 'ALREADY_REVERSED'
              : canApply(negated)
                ? null
                : 'INSUFFICIENT_BALANCE';
          expect(code).toBe(expected);
          if (!code) {
            apply(negated);
            posted++;
            target.reversed = true;
            entries.push({ id: result!.entry.id, postings: negated, isReversal: true, reversed: false, resubmit: run });
          }
        } else {
          if (!entries.length) continue;
          const target = entries[op.pick % entries.length];
          const again = (await target.resubmit()) as { entry: { id: number }; replayed: boolean };
          expect(again).toMatchObject({ entry: { id: target.id }, replayed: true });
        }
      }

      // One entry per successful operation, nothing for refusals and retries.
      expect(await entryCount()).toBe(countBefore + posted);

      // Every entry balances, with at least two postings.
      const unbalanced = await env
        .db('journal_postings')
        .groupBy('entry_id')
        .havingRaw('sum(amount_fen) <> 0 or count(*) < 2')
        .select('entry_id');
      expect(unbalanced).toEqual([]);

      // Balances: SQL sum = sum of the posting rows = the model.
      const rows = await env
        .db('journal_postings as p')
        .join('journal_accounts as a', 'a.id', 'p.account_id')
        .select('a.holder_party_id as holder', 'a.kind as kind', 'p.amount_fen as amount');
      const summed = new Map<string, number>();
      for (const r of rows as any[]) summed.set(keyOf(r.holder, r.kind), (summed.get(keyOf(r.holder, r.kind)) ?? 0) + toInt(r.amount));
      for (const [key, expected] of model) {
        const [holder, kind] = key.split('/') as [string, AccountKind];
        const view = (await accountBalance(admin, Number(holder), kind))!;
        expect([key, view.balanceFen]).toEqual([key, expected]);
        expect([key, summed.get(key) ?? 0]).toEqual([key, expected]);
        if (kind !== 'EXTERNAL_COUNTERPARTY') expect(expected).toBeGreaterThanOrEqual(0);
      }

      // No forbidden negative anywhere, and the chain verifies end to end.
      const negatives = [...summed].filter(([k, v]) => v < 0 && !k.endsWith('/EXTERNAL_COUNTERPARTY'));
      expect(negatives).toEqual([]);
      const verdict = await verifyChain(env.db, { batchSize: 7 });
      expect(verdict).toMatchObject({ intact: true, count: await entryCount() });
    }),
    { numRuns: 30 },
  );
});
