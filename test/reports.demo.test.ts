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
  it('summarises 南江县 by township and class', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, SUMMARY, { r: '511922000000', g: ['CHILD_REGION', 'CLASS'] });
    console.log(JSON.stringify(body, null, 1).slice(0, 6000));
    const f = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ auditFindings(regionCode: "511922000000") { code severity regionCode message objects { type id label } evidence { id } since } }`);
    console.log(JSON.stringify(f, null, 1).slice(0, 8000));
  });
});
