/**
 * The demo's pooled venture (seeds/demo-bundles.ts): 云顶镇's eight villages and communities, a little over
 * 12 million yuan pooled, the 2024 profit split exactly, 金台村's 2025 distribution drawing on its share
 * (traced from a household's fen back to the venture's profit record), and 柏杨社区's withdrawal in the
 * share history.
 */
import request from 'supertest';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { DEMO_VENTURE, POOLED_ASSETS, POOLED_CASH } from '../seeds/demo-bundles';
import { V, YUNDING } from '../seeds/demo-data';

let t: TestDb;
let gql: (token: string, query: string, variables?: object) => Promise<any>;
let bundle: any;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
  const app = createApp({ db: t.db, clock: fixedClock(TEST_NOW) });
  gql = async (token, query, variables) => (await request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables })).body;
  const list = await gql(DEMO_TOKENS.COUNTY_PLANNER, `{ bundles { nodes { id name region { code } party { creditCode kind }
    members { village { name } status joinedOn withdrawnOn }
    contributions { kind value status asset { name status } appraisal { appraiser reportNo } approval { status steps { kind } } }
    shares { villageCode shareBp }
    shareEvents { seq effectiveOn cause shares { villageCode shareBp value } }
    incomeSplits(year: 2024) { amount splitOn lines { villageCode shareBp amount } entry { sequence } profit { year profit reference } }
    holds { kind releasedOn } } } }`);
  bundle = list.data.bundles.nodes.find((b: any) => b.name === DEMO_VENTURE.name);
});
afterAll(() => t.destroy());

const fen = (yuan: string) => Math.round(Number(yuan) * 100);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('demo venture (云顶镇)', () => {
  it('pools a little over 12 million yuan from the eight villages and communities, each on its resolution', () => {
    expect(bundle).toMatchObject({ region: { code: YUNDING }, party: { kind: 'VENTURE', creditCode: DEMO_VENTURE.creditCode } });
    expect(bundle.members).toHaveLength(8);
    const pooled = sum(bundle.contributions.map((c: any) => fen(c.value)));
    expect(pooled).toBe(1_206_000_000);
    expect(pooled).toBe(sum(POOLED_ASSETS.map((a) => a.appraisedYuan * 100)) + sum(POOLED_CASH.map(([, y]) => y * 100)));
    expect(bundle.contributions.filter((c: any) => c.kind === 'ASSET').every((c: any) => c.asset.status === 'BUNDLED' && c.appraisal.reportNo)).toBe(true);
    expect(bundle.contributions.every((c: any) => c.approval.status === 'APPROVED')).toBe(true);
    // The jointly built homestays needed both owners' resolutions.
    const joint = bundle.contributions.find((c: any) => c.asset?.name === '桃源人家民宿群（10间）');
    expect(joint.approval.steps.map((s: any) => s.kind)).toEqual(['VILLAGE_RESOLUTION', 'VILLAGE_RESOLUTION', 'TOWNSHIP']);
  });

  it('keeps the share history: eight members summing to 10000 in 2024, seven after 柏杨社区 withdrew', () => {
    const events = bundle.shareEvents;
    expect(events.map((e: any) => e.cause)).toEqual([...Array(9).fill('CONTRIBUTE'), 'WITHDRAW']);
    const before = events[8];
    const after = events[9];
    expect(before.shares).toHaveLength(8);
    expect(after).toMatchObject({ effectiveOn: '2025-06-30' });
    expect(after.shares).toHaveLength(7);
    for (const e of events) expect(sum(e.shares.map((s: any) => s.shareBp))).toBe(10000);
    expect(after.shares.find((s: any) => s.villageCode === DEMO_VENTURE.withdrawing)).toBeUndefined();
    expect(bundle.members.find((m: any) => m.village.name === '柏杨社区')).toMatchObject({ status: 'WITHDRAWN', withdrawnOn: '2025-06-30' });
    expect(bundle.shares).toEqual(after.shares.map((s: any) => ({ villageCode: s.villageCode, shareBp: s.shareBp })));
    // 茶坪村: 2 860 000 of 12 060 000 = 2371.48 bp before; of 11 560 000 = 2474.05 bp after.
    expect(before.shares.find((s: any) => s.villageCode === V.chaping).shareBp).toBe(2371);
    expect(after.shares.find((s: any) => s.villageCode === V.chaping).shareBp).toBe(2474);
  });

  it('splits the 2024 profit to the eight members exactly to the fen', () => {
    const [split] = bundle.incomeSplits;
    expect(split).toMatchObject({ amount: '1447200.00', splitOn: '2025-03-31', profit: { year: 2024, profit: '1447200.00' } });
    expect(split.lines).toHaveLength(8);
    expect(sum(split.lines.map((l: any) => fen(l.amount)))).toBe(144_720_000);
  });

  it('traces a 金台村 household\'s fen through the village\'s 2025 plan to the venture split and its profit record', async () => {
    const plans = (await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ distributionPlans(first: 100) { nodes { id status title village { code } } } }`)).data.distributionPlans.nodes;
    const plan = plans.find((p: any) => p.village.code === V.jintai);
    expect(plan.status).toBe('CLOSED');
    const report = (
      await gql(
        DEMO_TOKENS.COUNTY_FINANCE,
        `query($id: ID!) { distributionAuditReport(planId: $id) { totals { planTotal reconciles unpaid } datesInOrder
          incomeSources { sequence memo amount } lines { type recipients { household { headName } amount paidOn } } } }`,
        { id: plan.id },
      )
    ).data.distributionAuditReport;
    expect(report.totals).toMatchObject({ reconciles: true, unpaid: '0.00' });
    expect(report.datesInOrder).toBe(true);
    const share = bundle.incomeSplits[0].lines.find((l: any) => l.villageCode === V.jintai).amount;
    expect(report.totals.planTotal).toBe(share);
    const household = report.lines.find((l: any) => l.type === 'HOUSEHOLD_DIVIDEND').recipients[0];
    expect(household.paidOn).toBe('2025-05-15');
    // The venture's entry is among the income the plan drew on …
    const source = report.incomeSources.find((s: any) => s.sequence === bundle.incomeSplits[0].entry.sequence);
    expect(source).toMatchObject({ amount: share });
    // … and that entry names its split and the profit record behind it.
    const entries = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ journalEntries(filter: { kind: BUNDLE_INCOME }) { nodes { sequence bundleIncomeSplit { bundle { name } profit { year reference } } } } }`);
    const entry = entries.data.journalEntries.nodes.find((e: any) => e.sequence === source.sequence);
    expect(entry.bundleIncomeSplit).toEqual({ bundle: { name: DEMO_VENTURE.name }, profit: { year: 2024, reference: expect.stringContaining('云顶茶旅董决〔2025〕2号') } });
  });

  it('a member village\'s clerk sees its venture and every member\'s share; the journal verifies', async () => {
    const mine = await gql(DEMO_TOKENS.VILLAGE_CLERK, `query($v: String!) { villageVentures(villageCode: $v) { status shareBp bundle { name shares { villageCode } } } }`, { v: V.chaping });
    expect(mine.data.villageVentures).toEqual([{ status: 'ACTIVE', shareBp: 2474, bundle: { name: DEMO_VENTURE.name, shares: expect.any(Array) } }]);
    expect(mine.data.villageVentures[0].bundle.shares).toHaveLength(7);
    expect((await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ journalVerify { intact } }`)).data.journalVerify.intact).toBe(true);
  });
});
