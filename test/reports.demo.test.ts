/** The demo county's books at a glance (issue 14): a non-trivial summary and findings from the demo data. */
import request from 'supertest';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';

let t: TestDb;
let gql: (token: string, query: string, variables?: object) => Promise<any>;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
  const app = createApp({ db: t.db, clock: fixedClock(TEST_NOW) });
  gql = async (token, query, variables) => (await request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables })).body;
});
afterAll(() => t.destroy());

const ROW = `key { class subType fundSource rightsLevel year status regionCode region { name } } assetCount originalValue accumulatedDepreciation bookValue
  fundingBySource { source amount } disposedCount disposedOriginalValue`;
const SUMMARY = `query($r: String!, $asOf: Date, $g: [SummaryDimension!]) { registerSummary(regionCode: $r, asOf: $asOf, groupBy: $g) {
  region { name } asOf groupBy total { ${ROW} } rows { ${ROW} } } }`;

describe('demo reports', () => {
  it('summarises 云顶镇 by village: 茶坪村 is the hand-checkable figure of the README', async () => {
    const s = (await gql(DEMO_TOKENS.COUNTY_FINANCE, SUMMARY, { r: '511922105000', g: ['CHILD_REGION'] })).data.registerSummary;
    expect(s.total).toMatchObject({ assetCount: 17, originalValue: '22760000.00', accumulatedDepreciation: '3549358.33', bookValue: '19210641.67' });
    expect(s.rows.reduce((n: number, r: any) => n + r.assetCount, 0)).toBe(17);
    // The tea plant alone (茶坪村's processing facility): 3 200 000.00 booked 2022-01-10, 20 years, 5% residual;
    // 57 complete months (Feb 2022 – Oct 2026) × 3 200 000.00 × 95% ÷ 240 = 722 000.00.
    const card = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ assets(filter: { text: "云顶茶叶加工厂" }) { nodes { name originalValue bookValue accumulatedDepreciation } } }`);
    expect(card.data.assets.nodes).toEqual([{ name: '云顶茶叶加工厂（厂房及生产线）', originalValue: '3200000.00', accumulatedDepreciation: '722000.00', bookValue: '2478000.00' }]);
  });

  it('the county by class and rights level, and the province adds up its two counties', async () => {
    const county = (await gql(DEMO_TOKENS.COUNTY_FINANCE, SUMMARY, { r: '511922000000', g: ['CLASS', 'RIGHTS_LEVEL'] })).data.registerSummary;
    expect(county.total).toMatchObject({ assetCount: 19, originalValue: '24060000.00' });
    const province = (await gql(DEMO_TOKENS.ADMIN, SUMMARY, { r: '510000000000', g: ['CHILD_REGION'] })).data.registerSummary;
    expect(province.total).toMatchObject({ assetCount: 22, originalValue: '28860000.00' });
  });

  it('finds six classes of findings in 南江县', async () => {
    const f = (await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ auditFindings(regionCode: "511922000000") { code regionCode message } }`)).data.auditFindings;
    expect([...new Set(f.map((x: any) => x.code))].sort()).toEqual([
      'CONTRACT_OVERLONG', 'FUNDS_IDLE', 'OPERATING_WITHOUT_INCOME', 'PROJECT_NOT_MATCHED_BY_ASSETS', 'PUBLIC_WELFARE_WITHOUT_UPKEEP', 'REGISTERED_NOT_BOOKED',
    ]);
    expect(f).toContainEqual(expect.objectContaining({ code: 'PROJECT_NOT_MATCHED_BY_ASSETS', message: expect.stringContaining('差额 300000.00 元') }));
    expect(f).toContainEqual(expect.objectContaining({ code: 'CONTRACT_OVERLONG', message: expect.stringContaining('南江石桥承〔2021〕01号') }));
    expect(f).toContainEqual(expect.objectContaining({ code: 'PUBLIC_WELFARE_WITHOUT_UPKEEP', message: expect.stringContaining('青岗村集中供水工程') }));
  });
});
