/**
 * Roles and scope of the bundle mutations and reads, as a generated matrix (DESIGN §6): the county planner,
 * or the township reviewer inside its township, runs a venture; each village clerk writes only its own
 * village's contributions and withdrawal; a member village's clerk sees the venture with every member's
 * shares; nobody outside sees it. Every refusal writes nothing.
 */
import { setup, TestEnv, snapshot, TokenName } from './helpers';
import {
  assetContribution,
  BUNDLE_CONTRIBUTE,
  BUNDLE_CREATE,
  BUNDLE_DISSOLVE,
  BUNDLE_PROFIT,
  BUNDLE_REVALUE,
  BUNDLE_SPLIT,
  BUNDLE_TABLES,
  BUNDLE_WITHDRAW,
  cashContribution,
  contributed,
  createBundle,
  creditCode,
  giveCash,
  memberAsset,
} from './bundles.helpers';
import { V } from '../seeds/demo-data';

let env: TestEnv;
beforeAll(async () => {
  env = await setup();
  await giveCash(env, V.chaping, 100_000_000);
});
afterAll(() => env.close());

const TOKENS: TokenName[] = ['admin', 'finance', 'planner', 'reviewer', 'clerk', 'otherClerk', 'otherReviewer', 'jiangeFinance', 'liangyaClerk'];

interface Fixture {
  bundle: any;
  contributionId: string;
}

let seq = 0;
/** A venture of 茶坪村 and 金台村 where 茶坪村 has joined with an asset and cash, and a 2025 profit is recorded. */
async function prepare(): Promise<Fixture> {
  const bundle = await createBundle(env, { name: `矩阵联营${++seq}` });
  const asset = await memberAsset(env, 'clerk', V.chaping);
  const a = await contributed(env, 'clerk', assetContribution(bundle.id, V.chaping, asset.id, '500000.00', '2025-03-01'));
  await contributed(env, 'clerk', cashContribution(bundle.id, V.chaping, '100.00', '2025-03-01'));
  const p = await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: bundle.id, year: 2025, profit: '10000.00', declaredOn: '2026-03-31', reference: '董〔2026〕1号' } });
  if (p.data.bundleProfitRecord.errors.length) throw new Error(JSON.stringify(p));
  return { bundle, contributionId: a.contribution.id };
}

type Outcome = 'ok' | string;
const MANAGE: Record<TokenName, Outcome> = {
  admin: 'ok',
  planner: 'ok',
  reviewer: 'ok',
  finance: 'FORBIDDEN',
  clerk: 'FORBIDDEN',
  otherClerk: 'FORBIDDEN',
  otherReviewer: 'NOT_FOUND',
  jiangeFinance: 'FORBIDDEN',
  liangyaClerk: 'FORBIDDEN',
};
const CONTRIBUTE: Record<TokenName, Outcome> = {
  admin: 'ok',
  clerk: 'ok',
  otherClerk: 'FORBIDDEN',
  planner: 'FORBIDDEN',
  reviewer: 'FORBIDDEN',
  finance: 'FORBIDDEN',
  otherReviewer: 'FORBIDDEN',
  jiangeFinance: 'FORBIDDEN',
  liangyaClerk: 'NOT_FOUND',
};

interface Case {
  name: string;
  query: string;
  expected: Record<TokenName, Outcome>;
  /** A fresh fixture for each successful call (the mutation changes what the next one may do). */
  freshForOk?: boolean;
  input: (f: Fixture, token: TokenName, i: number) => Record<string, unknown>;
}

const CASES: Case[] = [
  {
    name: 'bundleCreate',
    query: BUNDLE_CREATE,
    expected: { ...MANAGE, otherReviewer: 'INVALID_REGION' },
    input: (_f, token, i) => ({ name: `矩阵新建${token}`, legalForm: 'COOPERATIVE_UNION', creditCode: creditCode(90_000 + i), startOn: '2025-01-01', villageCodes: [V.chaping, V.jintai] }),
  },
  {
    name: 'bundleContribute',
    query: BUNDLE_CONTRIBUTE,
    expected: CONTRIBUTE,
    input: (f) => cashContribution(f.bundle.id, V.chaping, '1.00', '2025-06-01'),
  },
  {
    name: 'bundleWithdraw',
    query: BUNDLE_WITHDRAW,
    expected: CONTRIBUTE,
    freshForOk: true,
    input: (f) => ({ bundleId: f.bundle.id, villageCode: V.chaping, withdrawnOn: '2026-06-30', reason: '矩阵' }),
  },
  {
    name: 'bundleProfitRecord',
    query: BUNDLE_PROFIT,
    expected: MANAGE,
    input: (f, _t, i) => ({ bundleId: f.bundle.id, year: 2026, profit: '1.00', declaredOn: '2026-06-30', reference: `董〔2026〕${10 + i}号` }),
    freshForOk: true,
  },
  {
    name: 'bundleIncomeSplit',
    query: BUNDLE_SPLIT,
    expected: MANAGE,
    input: (f, token) => ({ bundleId: f.bundle.id, year: 2025, amount: '1.00', splitOn: '2026-04-01', idempotencyKey: `matrix-${f.bundle.id}-${token}` }),
  },
  {
    name: 'bundleContributionRevalue',
    query: BUNDLE_REVALUE,
    expected: MANAGE,
    freshForOk: true,
    input: (f) => ({
      contributionId: f.contributionId,
      appraisal: { appraiser: '评估所', appraisedOn: '2026-04-01', value: '600000.00' },
      effectiveOn: '2026-04-01',
    }),
  },
  {
    name: 'bundleDissolve',
    query: BUNDLE_DISSOLVE,
    expected: MANAGE,
    freshForOk: true,
    input: (f) => ({ bundleId: f.bundle.id, dissolvedOn: '2026-09-30', reason: '矩阵' }),
  },
];

describe.each(CASES)('$name', (c) => {
  let shared: Fixture;
  beforeAll(async () => {
    shared = await prepare();
  });
  it.each(TOKENS.map((t, i) => [t, c.expected[t], i] as const))('%s → %s', async (token, expected, i) => {
    const f = expected === 'ok' && c.freshForOk ? await prepare() : shared;
    const input = c.input(f, token, i);
    const before = await snapshot(env.db, BUNDLE_TABLES);
    const body = await env.gql(token, c.query, { input });
    const payload = body.data?.[c.name];
    if (expected === 'ok') {
      expect(body.errors).toBeUndefined();
      expect(payload.errors).toEqual([]);
      return;
    }
    const code = body.errors ? body.errors[0].extensions.code : payload.errors.map((e: any) => e.code).join(',');
    expect(code).toBe(expected);
    expect(await snapshot(env.db, BUNDLE_TABLES)).toEqual(before);
  });
});

describe('reads', () => {
  const SEES: Record<TokenName, boolean> = {
    admin: true,
    finance: true,
    planner: true,
    reviewer: true,
    clerk: true,
    otherClerk: true, // 金台村 is an invited member: it sees the venture and every member's shares
    otherReviewer: false,
    jiangeFinance: false,
    liangyaClerk: false,
  };
  let f: Fixture;
  beforeAll(async () => {
    f = await prepare();
  });
  it.each(TOKENS)('%s', async (token) => {
    const body = await env.gql(token, `query($id: ID!) { bundle(id: $id) { id shares { villageCode shareBp } } bundles(first: 100) { nodes { id } } }`, { id: f.bundle.id });
    if (SEES[token]) {
      expect(body.data.bundle).toEqual({ id: f.bundle.id, shares: [{ villageCode: V.chaping, shareBp: 10000 }] });
      expect(body.data.bundles.nodes).toContainEqual({ id: f.bundle.id });
    } else {
      expect(body.data.bundle).toBeNull();
      expect(body.data.bundles.nodes).not.toContainEqual({ id: f.bundle.id });
    }
    const node = await env.gql(token, `query($id: ID!) { node(id: $id) { id } }`, { id: f.bundle.id });
    expect(node.data.node === null).toBe(!SEES[token]);
  });
});
