/**
 * No N+1 in disposal lists (issue 11): a page of disposals with their chains (steps, decisions, next step),
 * notices, objections, events, assets, flags and re-uses, and a page of pledges with their chains, cost the
 * same number of queries for 2 rows as for 8. (A buyer's RELATED_BUYER check still reads the village's users
 * per disposal with a buyer: isRelated is being replaced by the officials register in parallel.)
 */
import { countQueries, setup, TestEnv } from './helpers';
import { company } from './journal.fixtures';
import { approveAll, assetOfValue, gqlOk, M, requestInput } from './disposal.helpers';

let env: TestEnv;
let bank: number;
beforeAll(async () => {
  env = await setup();
  bank = await company(env, '四川南江农村商业银行股份有限公司');
  for (let i = 0; i < 8; i++) {
    const asset = await assetOfValue(env, '20000.00');
    const r = await gqlOk(env, 'clerk', M.request, requestInput(asset.id, { method: 'SCRAPPING' }), 'disposalRequest');
    if (i % 2 === 0) await approveAll(env, r.disposal.id);
    const other = await assetOfValue(env, '20000.00');
    await gqlOk(
      env,
      'clerk',
      M.pledge,
      { assetId: other.id, kind: 'MORTGAGE', pledgee: { partyId: `Party:${bank}` }, loan: '10000.00', loanPurpose: '流动资金', contractNo: `NJ-Q-${i}`, pledgedOn: '2026-02-01' },
      'assetPledge',
    );
  }
}, 120_000);
afterAll(() => env.close());

describe('lists cost a constant number of queries', () => {
  it('disposals with chains, notices, objections, events, assets, flags and re-uses', async () => {
    const L = `query($n: Int) { disposals(first: $n) { nodes { id status flags proceedsReused proceedsRemaining proceedsReuses { amount }
      asset { id code } chain { id status steps { kind decision { decision } } nextStep { kind } }
      notice { startOn } objections { id } events { action } requestedBy { id } } } }`;
    const two = await countQueries(env.db, () => env.gql('finance', L, { n: 2 }));
    const all = await countQueries(env.db, () => env.gql('finance', L, { n: 8 }));
    expect(two.result.errors).toBeUndefined();
    expect(all.result.data.disposals.nodes).toHaveLength(8);
    expect(all.result.data.disposals.nodes.filter((d: any) => d.status === 'APPROVED').length).toBe(4);
    expect(all.result.data.disposals.nodes.every((d: any) => d.chain.steps.length > 0)).toBe(true);
    expect(all.queries).toBe(two.queries);
  });

  it('pledges with their chains and assets', async () => {
    const L = `query($n: Int) { assetPledges(first: $n) { nodes { id status asset { id } ventureMember { id } chain { id steps { kind } } } } }`;
    const two = await countQueries(env.db, () => env.gql('finance', L, { n: 2 }));
    const all = await countQueries(env.db, () => env.gql('finance', L, { n: 8 }));
    expect(all.result.data.assetPledges.nodes).toHaveLength(8);
    expect(all.queries).toBe(two.queries);
  });
});
