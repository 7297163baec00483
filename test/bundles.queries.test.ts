/**
 * N+1 on long venture histories: a venture's contributions and splits name journal entries, resolved
 * through the journal's batch loaders under getEntry's read rule (journal.service loadVisibleEntry) — so
 * reading a venture with many cash contributions and splits costs the same number of queries as with few.
 */
import { setup, TestEnv, countQueries } from './helpers';
import { BUNDLE_PROFIT, BUNDLE_SPLIT, cashContribution, contributed, createBundle, giveCash } from './bundles.helpers';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let bundle: { id: string };
beforeAll(async () => {
  env = await setup();
  await giveCash(env, V.jintai, 100_000_000);
  await giveCash(env, V.chaping, 100_000_000);
  bundle = await createBundle(env);
});
afterAll(() => env.close());

const READ = `query($id: ID!) { bundle(id: $id) {
  contributions { id entry { id kind sequence } returnEntry { id } }
  incomeSplits { id entry { id kind sequence } } } }`;

let splits = 0;
async function grow(cash: number, newSplits: number) {
  for (let i = 0; i < cash; i++) {
    await contributed(env, i % 2 ? 'clerk' : 'otherClerk', cashContribution(bundle.id, i % 2 ? V.chaping : V.jintai, `${1000 + i}.00`, '2025-03-01'));
  }
  if (!splits) {
    const p = await env.gql('planner', BUNDLE_PROFIT, { input: { bundleId: bundle.id, year: 2025, profit: '10000.00', declaredOn: '2026-03-31', reference: '董〔2026〕1号' } });
    expect(p.data.bundleProfitRecord.errors).toEqual([]);
  }
  for (let k = 0; k < newSplits; k++) {
    const s = await env.gql('reviewer', BUNDLE_SPLIT, { input: { bundleId: bundle.id, year: 2025, amount: '100.00', splitOn: '2026-04-01', idempotencyKey: `q-split-${++splits}` } });
    expect(s.data.bundleIncomeSplit.errors).toEqual([]);
  }
}

it('reads a venture with its contributions and splits and their entries in a constant number of queries', async () => {
  await grow(2, 2);
  const few = await countQueries(env.db, () => env.gql('planner', READ, { id: bundle.id }));
  expect(few.result.errors).toBeUndefined();
  expect(few.result.data.bundle.contributions).toHaveLength(2);
  expect(few.result.data.bundle.incomeSplits).toHaveLength(2);

  await grow(6, 6);
  const many = await countQueries(env.db, () => env.gql('planner', READ, { id: bundle.id }));
  const b = many.result.data.bundle;
  expect(b.contributions).toHaveLength(8);
  expect(b.incomeSplits).toHaveLength(8);
  expect(b.contributions.every((c: any) => c.entry?.kind === 'BUNDLE_CONTRIBUTION')).toBe(true);
  expect(b.incomeSplits.every((s: any) => s.entry?.kind === 'BUNDLE_INCOME')).toBe(true);
  expect(many.queries).toBe(few.queries);
});

it("keeps getEntry's read rule: a village clerk sees its own cash entries, not another member's", async () => {
  const b = (await env.gql('clerk', READ, { id: bundle.id })).data.bundle;
  const kinds = b.contributions.map((c: any) => c.entry?.kind ?? null);
  // Contributions alternate 金台村 (otherClerk), 茶坪村 (clerk): the clerk of 茶坪村 sees its own entries only.
  expect(kinds).toEqual(kinds.map((_: unknown, i: number) => (i % 2 ? 'BUNDLE_CONTRIBUTION' : null)));
  // Splits credit both member villages: each split's entry is visible to either.
  expect(b.incomeSplits.every((s: any) => s.entry?.kind === 'BUNDLE_INCOME')).toBe(true);
});
