/**
 * Issue 8, item 4: idempotency keys are no oracle. Every money mutation authorises (role and the target's
 * scope) before it looks a key up, and keys live in the actor's region: replaying someone else's key with a
 * different request tells the caller nothing about that key or its entry.
 */
import { setup, TestEnv, TokenName, snapshot } from './helpers';
import { EXECUTE, fundVillage, households, ok, PAY, planAt, REVERSE } from './distribution.helpers';
import { INCOME_RECORD, INCOME_TABLES, incomeInput, lease, ownedAsset, recorded } from './income.helpers';
import { company, REVERSE as JOURNAL_REVERSE } from './journal.fixtures';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let asset: { id: string };
let payer: number;
let executed: string; // a 茶坪村 plan executed with key `exec-<id>`
let hs: string[];
let incomeEntryId: string;
const INCOME_KEY = 'chaping-income-1';

beforeAll(async () => {
  env = await setup();
  payer = await company(env, '南江县云顶农业发展有限公司');
  asset = await ownedAsset(env);
  await lease(env, asset.id, payer);
  const first = await recorded(env, incomeInput(asset.id, payer, { idempotencyKey: INCOME_KEY }));
  incomeEntryId = first.entry.id;
  await fundVillage(env, V.chaping, 100_000_000);
  hs = await households(env, 2);
  executed = await planAt(env, 'EXECUTED', hs);
  await ok(env, 'clerk', PAY, { planId: executed, householdId: hs[0], paidOn: '2025-02-05', bankReference: 'b0', idempotencyKey: 'pay-0' });
});
afterAll(() => env.close());

const TABLES = [...INCOME_TABLES, 'distribution_plans', 'distribution_events', 'distribution_payments', 'distribution_payment_reversals'];
const OTHERS: TokenName[] = ['otherClerk', 'reviewer', 'otherReviewer', 'finance', 'planner', 'jiangeFinance', 'liangyaClerk'];

/** Every money mutation, called with a key the 茶坪村 clerk already used, and a different request. */
const PROBES: { name: string; mutation: string; field: string; input: () => Record<string, unknown> }[] = [
  {
    name: 'incomeRecord',
    mutation: INCOME_RECORD,
    field: 'incomeRecord',
    input: () => incomeInput(asset.id, payer, { amount: '1.00', idempotencyKey: INCOME_KEY }),
  },
  { name: 'distributionPlanExecute', mutation: EXECUTE, field: 'distributionPlanExecute', input: () => ({ planId: executed, executedOn: '2025-02-04', idempotencyKey: `exec-${executed}` }) },
  {
    name: 'distributionPaymentRecord',
    mutation: PAY,
    field: 'distributionPaymentRecord',
    input: () => ({ planId: executed, householdId: hs[1], paidOn: '2025-02-06', bankReference: 'x', idempotencyKey: 'pay-0' }),
  },
  {
    name: 'distributionPaymentReverse',
    mutation: `mutation($input: DistributionPaymentReverseInput!) { distributionPaymentReverse(input: $input) { plan { status } errors { code field message } } }`,
    field: 'distributionPaymentReverse',
    input: () => ({ planId: executed, householdId: hs[0], reversedOn: '2025-02-07', reason: 'x', idempotencyKey: 'pay-0' }),
  },
  { name: 'distributionPlanReverse', mutation: REVERSE, field: 'distributionPlanReverse', input: () => ({ planId: executed, reason: 'x', idempotencyKey: 'pay-0' }) },
  {
    name: 'journalEntryReverse',
    mutation: JOURNAL_REVERSE,
    field: 'journalEntryReverse',
    input: () => ({ entryId: incomeEntryId, reason: 'x', idempotencyKey: 'pay-0' }),
  },
];

describe('idempotency keys are checked after authorisation (scope matrix)', () => {
  // County finance may itself reverse an unclaimed income entry of its county (journal.reverse): its key is
  // scoped to its own region, so the clerk's key tells it nothing; that pair is a legitimate request, not a probe.
  const cases = PROBES.flatMap((p) => OTHERS.filter((u) => !(p.name === 'journalEntryReverse' && u === 'finance')).map((u) => [p.name, u, p] as const));
  it.each(cases)('%s as %s: no IDEMPOTENCY_CONFLICT, no entry number, nothing written', async (_n, user, probe) => {
    const before = await snapshot(env.db, TABLES);
    const body = await env.gql(user, probe.mutation, { input: probe.input() });
    const text = JSON.stringify(body);
    expect(text).not.toContain('IDEMPOTENCY_CONFLICT');
    expect(text).not.toMatch(/entry #\d+/);
    const codes = [...(body.errors ?? []).map((e: any) => e.extensions.code), ...(body.data?.[probe.field]?.errors ?? []).map((e: any) => e.code)];
    expect(codes.length).toBeGreaterThan(0);
    expect(await snapshot(env.db, TABLES)).toEqual(before);
  });
});

describe('keys are scoped to the actor region', () => {
  it('stores the key behind the region code and shows it as typed', async () => {
    const row = await env.db('journal_entries').where({ idempotency_key: `${V.chaping}:${INCOME_KEY}` }).first();
    expect(row).toBeTruthy();
    const shown = await env.gql('clerk', `query($id: ID!) { node(id: $id) { ... on JournalEntry { idempotencyKey } } }`, { id: incomeEntryId });
    expect(shown.data.node.idempotencyKey).toBe(INCOME_KEY);
  });

  it('the same clerk still gets IDEMPOTENCY_CONFLICT for its own key with another request, and a replay for a retry', async () => {
    const conflict = await env.gql('clerk', INCOME_RECORD, { input: incomeInput(asset.id, payer, { amount: '2.00', idempotencyKey: INCOME_KEY }) });
    expect(conflict.data.incomeRecord.errors[0].code).toBe('IDEMPOTENCY_CONFLICT');
  });
});
