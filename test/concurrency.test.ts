/**
 * Concurrency across processes (issue 17, item 4). Two server processes (src/server/main.ts, as `npm start`
 * runs it) share one database — the same SQLite file, or the same PostgreSQL database — and receive 1,000
 * conflicting money and hold mutations between them, each conflict's two sides sent at the same moment, one
 * to each process:
 *
 *   - two payments (different keys) of one household's dividend               → one paid, the other ALREADY_PAID
 *   - one receipt claimed by two plans                                         → one plan, the other RECEIPT_ALREADY_DISTRIBUTED
 *   - one income sent to both processes with the same idempotency key          → posted once, the other a replay
 *   - one asset contributed to two ventures                                    → one contribution, the other ASSET_HELD
 *   - a disposal request racing a lease of the same asset                      → one hold, the other ASSET_HELD
 *
 * Then: every answer is a success or a coded error (never a top-level error, never an HTTP failure); 0
 * overdraws (no account of a kind that must not go negative is below zero); 0 chain forks (verify passes,
 * the sequence runs 1..n without gap or repeat, each entry links to the one before, journal_head is the last
 * entry); 0 double spends (one payment per household, one live claim per receipt, one entry per key, one
 * live hold per asset at a time).
 *
 * BANGFU_LONG_TESTS=1 sends 5,000 mutations with three processes instead (nightly, not CI).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, TestEnv, onPostgres, gidNum } from './helpers';
import { startServer, stopAll, ChildServer } from './support/childServer';
import { fundVillage, planAt, planInput, CREATE } from './distribution.helpers';
import { company } from './journal.fixtures';
import { incomeInput, INCOME_RECORD, lease, ownedAsset } from './income.helpers';
import { createBundle, memberAsset, assetContribution, BUNDLE_CONTRIBUTE } from './bundles.helpers';
import { handedOverAsset, contractInput, CONTRACT_SIGN } from './fixtures';
import { requestInput } from './disposal.helpers';
import { verifyChain } from '../src/modules/journal/journal.verify';
import { toInt } from '../src/db/connection';
import { V } from '../seeds/demo-data';

const LONG = process.env.BANGFU_LONG_TESTS === '1';
const SCALE = LONG ? 5 : 1;
const PROCESSES = LONG ? 3 : 2;
/** Pairs of each kind: 2 × (250 + 100 + 100 + 25 + 25) = 1,000 mutations (× SCALE). */
const PAYMENTS = 250 * SCALE;
const RECEIPTS = 100 * SCALE;
const SAME_KEY = 100 * SCALE;
const VENTURE_ASSETS = 25 * SCALE;
const DISPOSAL_ASSETS = 25 * SCALE;
/** Conflicts in flight at once (each is two requests, one per process). */
const IN_FLIGHT = 8;

jest.setTimeout(LONG ? 3_600_000 : 600_000);

let env: TestEnv;
let dir: string;
let servers: ChildServer[] = [];
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangfu-race-'));
  env = await setup(onPostgres ? {} : { sqliteFile: path.join(dir, 'ledger.sqlite') });
});
afterAll(async () => {
  await stopAll();
  await env?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PAY = `mutation($input: DistributionPaymentInput!) { distributionPaymentRecord(input: $input) { replayed errors { code field message } } }`;
const REQUEST = `mutation($input: DisposalRequestInput!) { disposalRequest(input: $input) { disposal { id } errors { code field message } } }`;

/** One side of a conflict: which process, as whom, what. */
interface Side {
  token: Parameters<TestEnv['gql']>[0];
  query: string;
  input: Record<string, unknown>;
}
interface Conflict {
  kind: string;
  sides: Side[];
}
interface Answer {
  kind: string;
  /** 'OK', 'REPLAY', an error code, or what went wrong outside the payload. */
  outcome: string;
}

/** Sends every conflict, its sides at once to different processes, IN_FLIGHT conflicts at a time. */
async function race(conflicts: Conflict[]): Promise<Answer[][]> {
  const results: Answer[][] = new Array(conflicts.length);
  let next = 0;
  const worker = async () => {
    while (next < conflicts.length) {
      const i = next++;
      const c = conflicts[i];
      results[i] = await Promise.all(
        c.sides.map(async (s, k) => {
          const server = servers[(i + k) % servers.length];
          try {
            const body = await server.gql(s.token, s.query, { input: s.input });
            if (body.errors?.length) return { kind: c.kind, outcome: `TOP-LEVEL ERROR ${JSON.stringify(body.errors)}` };
            const payload: any = Object.values(body.data)[0];
            if (payload.errors.length) return { kind: c.kind, outcome: payload.errors[0].code ?? `UNCODED ${JSON.stringify(payload.errors)}` };
            return { kind: c.kind, outcome: payload.replayed ? 'REPLAY' : 'OK' };
          } catch (e) {
            return { kind: c.kind, outcome: `FAILED ${(e as Error).message}` };
          }
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return results;
}

async function manyHouseholds(n: number): Promise<number[]> {
  const now = env.clock.now();
  const ids: number[] = [];
  for (let i = 0; i < n; i += 200) {
    const rows = Array.from({ length: Math.min(200, n - i) }, (_, k) => ({
      village_code: V.chaping, head_name: `并发户${i + k}`, id_number: `R${String(i + k).padStart(17, '0')}`,
      member_count: 1 + ((i + k) % 5), status: 'FORMERLY_POOR', created_at: now, updated_at: now,
    }));
    const batch = (await env.db('households').insert(rows).returning('id')).map((r: any) => r.id ?? r);
    ids.push(...batch);
    await env.db('household_status_changes').insert(
      batch.map((id: number) => ({ household_id: id, status: 'FORMERLY_POOR', effective_on: '2020-12-31', actor_user_id: env.userIds.admin, recorded_at: now })),
    );
  }
  return ids;
}

async function countOf(table: string, where: Record<string, unknown> = {}): Promise<number> {
  return toInt((await env.db(table).where(where).count({ n: '*' }).first())!.n);
}

it(`${PROCESSES} server processes, ${2 * (PAYMENTS + RECEIPTS + SAME_KEY + VENTURE_ASSETS + DISPOSAL_ASSETS)} conflicting mutations: one winner each, every loser coded, no overdraw, no fork, no double spend`, async () => {
  // ---- arrange (in this process, on the same database) ----
  const payer = await company(env, '南江县云顶农业发展有限公司');
  await fundVillage(env, V.chaping, PAYMENTS * 100_000 + 10_000_000, '2023-12-31');
  const householdIds = await manyHouseholds(PAYMENTS);
  const paidPlan = await planAt(env, 'EXECUTED', householdIds.map((id) => `Household:${id}`), { title: '并发发放方案', periodFrom: '2023-01-01', periodTo: '2023-12-31' });

  const receipts: string[] = [];
  for (let i = 0; i < RECEIPTS; i++) receipts.push(await fundVillage(env, V.chaping, 10_000 + i, '2024-06-30'));

  const leased = await ownedAsset(env);
  await lease(env, leased.id, payer);

  const [ventureA, ventureB] = [await createBundle(env, { name: '并发联营甲' }), await createBundle(env, { name: '并发联营乙' })];
  const ventureAssets: string[] = [];
  for (let i = 0; i < VENTURE_ASSETS; i++) ventureAssets.push((await memberAsset(env, 'clerk', V.chaping)).id);

  const disputed: string[] = [];
  for (let i = 0; i < DISPOSAL_ASSETS; i++) disputed.push((await handedOverAsset(env)).id);

  // ---- the conflicts ----
  const conflicts: Conflict[] = [];
  for (const h of householdIds) {
    const pay = (n: number): Side => ({
      token: 'clerk',
      query: PAY,
      input: { planId: paidPlan, householdId: `Household:${h}`, paidOn: '2025-02-10', bankReference: `NX${h}-${n}`, idempotencyKey: `race-pay-${h}-${n}` },
    });
    conflicts.push({ kind: 'payment', sides: [pay(1), pay(2)] });
  }
  const RETAIN_ALL = [{ type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' }];
  receipts.forEach((r, i) => {
    const plan = (n: number): Side => ({ token: 'clerk', query: CREATE, input: planInput([], { title: `并发方案${i}-${n}`, lines: RETAIN_ALL, receipts: [r] }) });
    conflicts.push({ kind: 'receipt', sides: [plan(1), plan(2)] });
  });
  for (let i = 0; i < SAME_KEY; i++) {
    const input = incomeInput(leased.id, payer, { amount: `${100 + i}.00`, idempotencyKey: `race-same-key-${i}` });
    conflicts.push({ kind: 'same key', sides: [{ token: 'clerk', query: INCOME_RECORD, input }, { token: 'clerk', query: INCOME_RECORD, input }] });
  }
  for (const a of ventureAssets) {
    conflicts.push({
      kind: 'venture',
      sides: [ventureA, ventureB].map((b) => ({ token: 'clerk', query: BUNDLE_CONTRIBUTE, input: assetContribution(b.id, V.chaping, a, '100000.00') })),
    });
  }
  for (const a of disputed) {
    conflicts.push({
      kind: 'disposal vs lease',
      sides: [
        { token: 'clerk', query: REQUEST, input: requestInput(a) },
        { token: 'clerk', query: CONTRACT_SIGN, input: contractInput(a, { mode: 'LEASE', operator: { partyId: `Party:${payer}` }, fee: { kind: 'FIXED', amount: '10000.00', period: 'YEAR' } }) },
      ],
    });
  }
  // Shuffled (deterministically), so that every kind of conflict runs beside every other.
  let seed = 17;
  for (let i = conflicts.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [conflicts[i], conflicts[j]] = [conflicts[j], conflicts[i]];
  }

  servers = await Promise.all(Array.from({ length: PROCESSES }, () => startServer(env.serverEnv)));
  const entriesBefore = await countOf('journal_entries');
  const answers = await race(conflicts);
  await Promise.all(servers.map((s) => s.stop()));

  // ---- every answer is a success or a coded error; exactly one winner per conflict ----
  const tally: Record<string, Record<string, number>> = {};
  for (const a of answers.flat()) {
    tally[a.kind] ??= {};
    tally[a.kind][a.outcome] = (tally[a.kind][a.outcome] ?? 0) + 1;
  }
  // The winner's outcome, and the codes a loser may get (a lease that lost to a disposal finds the asset
  // DISPOSAL_PENDING, a status no contract is signed in: ILLEGAL_TRANSITION; a disposal that lost to a lease
  // finds the CONTRACT hold: ASSET_HELD).
  const EXPECTED: Record<string, { win: string; lose: string[] }> = {
    payment: { win: 'OK', lose: ['ALREADY_PAID'] },
    receipt: { win: 'OK', lose: ['RECEIPT_ALREADY_DISTRIBUTED'] },
    'same key': { win: 'OK', lose: ['REPLAY'] },
    venture: { win: 'OK', lose: ['ASSET_HELD'] },
    'disposal vs lease': { win: 'OK', lose: ['ASSET_HELD', 'ILLEGAL_TRANSITION'] },
  };
  const wrong = answers.filter((pair) => {
    const { win, lose } = EXPECTED[pair[0].kind];
    const winners = pair.filter((a) => a.outcome === win);
    const losers = pair.filter((a) => a.outcome !== win);
    return winners.length !== 1 || !losers.every((a) => lose.includes(a.outcome));
  });
  if (process.env.BANGFU_TEST_TRACE) console.log(JSON.stringify(tally, null, 2));
  expect({ wrong: wrong.slice(0, 5), wrongCount: wrong.length, tally }).toEqual({ wrong: [], wrongCount: 0, tally: expect.any(Object) });

  // ---- 0 chain forks ----
  const verified = await verifyChain(env.db);
  expect(verified.intact).toBe(true);
  const rows = await env.db('journal_entries').orderBy('sequence').select('sequence', 'prev_hash', 'hash');
  expect(rows.map((r: any) => toInt(r.sequence))).toEqual(rows.map((_: unknown, i: number) => i + 1));
  for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  const head = await env.db('journal_head').where({ id: 1 }).first();
  expect({ seq: toInt(head.last_sequence), hash: head.last_hash }).toEqual({ seq: rows.length, hash: rows[rows.length - 1].hash });
  // Entries written by the race: a payment each, an income each (the replays none).
  expect(rows.length - entriesBefore).toBe(PAYMENTS + SAME_KEY);

  // ---- 0 overdraws ----
  const negative = await env
    .db('journal_postings as p')
    .join('journal_accounts as a', 'a.id', 'p.account_id')
    .whereNotIn('a.kind', ['EXTERNAL_COUNTERPARTY', 'OPENING_BALANCE'])
    .groupBy('a.id', 'a.kind')
    .havingRaw('sum(p.amount_fen) < 0')
    .select('a.id', 'a.kind');
  expect(negative).toEqual([]);

  // ---- 0 double spends ----
  const perHousehold = await env.db('distribution_payments').where({ plan_id: gidNum(paidPlan) }).groupBy('household_id').select('household_id').count({ n: '*' });
  expect(perHousehold).toHaveLength(PAYMENTS);
  expect(perHousehold.filter((r: any) => toInt(r.n) !== 1)).toEqual([]);
  const claims = await env.db('distribution_plan_receipts').whereNull('released_on').groupBy('entry_id').select('entry_id').count({ n: '*' });
  expect(claims.filter((r: any) => toInt(r.n) !== 1)).toEqual([]);
  expect(await countOf('income_records', { asset_id: gidNum(leased.id) })).toBe(SAME_KEY);
  const liveHolds = await env
    .db('asset_holds')
    .whereIn('asset_id', [...ventureAssets, ...disputed].map(gidNum))
    .whereNull('released_on')
    .groupBy('asset_id')
    .select('asset_id')
    .count({ n: '*' });
  expect(liveHolds.filter((r: any) => toInt(r.n) !== 1)).toEqual([]);
  expect(liveHolds.filter((r: any) => disputed.map(gidNum).includes(r.asset_id))).toHaveLength(DISPOSAL_ASSETS);
  const openContributions = await env.db('bundle_contributions').whereIn('asset_id', ventureAssets.map(gidNum)).whereIn('status', ['PENDING', 'ACTIVE']).groupBy('asset_id').select('asset_id').count({ n: '*' });
  expect(openContributions).toHaveLength(VENTURE_ASSETS);
  expect(openContributions.filter((r: any) => toInt(r.n) !== 1)).toEqual([]);
});
