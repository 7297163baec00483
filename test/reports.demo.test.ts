/** The demo county's books at a glance (issue 14): a non-trivial summary and findings from the demo data. */
import request from 'supertest';
import ExcelJS from 'exceljs';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { toActor } from '../src/modules/auth/auth.service';
import { registerSummary } from '../src/modules/reports/reports.service';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import type { SummaryDimension } from '../src/modules/reports/reports.types';

let t: TestDb;
let gql: (token: string, query: string, variables?: object) => Promise<any>;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
  app = createApp({ db: t.db, clock: fixedClock(TEST_NOW) });
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

  it('finds eight classes of findings in 南江县', async () => {
    const f = (await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ auditFindings(regionCode: "511922000000") { code regionCode message } }`)).data.auditFindings;
    expect([...new Set(f.map((x: any) => x.code))].sort()).toEqual([
      'CONTRACT_OVERLONG', 'FUNDS_IDLE', 'OPERATING_WITHOUT_INCOME', 'PROJECT_NOT_MATCHED_BY_ASSETS', 'PUBLIC_WELFARE_WITHOUT_UPKEEP', 'REGISTERED_NOT_BOOKED',
      'RELATED_PARTY_PAYEE', 'REVITALISATION_CASE_OVERDUE',
    ]);
    // The officials register: 金台村's committee director's household holds a public-welfare job (README figure).
    expect(f.filter((x: any) => x.code === 'RELATED_PARTY_PAYEE')).toEqual([
      { code: 'RELATED_PARTY_PAYEE', regionCode: '511922105002', message: expect.stringContaining('公益性岗位工资 14284.12 元于 2025-05-15 支付给村干部 村委会主任') },
    ]);
    expect(f).toContainEqual(expect.objectContaining({ code: 'REVITALISATION_CASE_OVERDUE', regionCode: '511922102001', message: expect.stringContaining('期限 2026-06-30 已过') }));
    expect(f).toContainEqual(expect.objectContaining({ code: 'PROJECT_NOT_MATCHED_BY_ASSETS', message: expect.stringContaining('差额 300000.00 元') }));
    expect(f).toContainEqual(expect.objectContaining({ code: 'CONTRACT_OVERLONG', message: expect.stringContaining('南江石桥承〔2021〕01号') }));
    expect(f).toContainEqual(expect.objectContaining({ code: 'PUBLIC_WELFARE_WITHOUT_UPKEEP', message: expect.stringContaining('青岗村集中供水工程') }));
  });

  it('finds the related payee of 亮垭村 (剑阁县) from the officials register, and a clerk sees only its village\'s officials', async () => {
    const f = (await gql(DEMO_TOKENS.JIANGE_FINANCE, `{ auditFindings(regionCode: "510823000000", codes: [RELATED_PARTY_PAYEE]) { severity regionCode message since } }`)).data.auditFindings;
    expect(f).toEqual([{ severity: 'MEDIUM', regionCode: '510823100201', message: expect.stringContaining('公益性岗位工资 17978.49 元于 2025-02-10'), since: '2025-02-10' }]);
    const officials = (await gql(DEMO_TOKENS.VILLAGE_CLERK, `{ villageOfficials { village { code } role user { name } } }`)).data.villageOfficials;
    expect(new Set(officials.map((o: any) => o.village.code))).toEqual(new Set(['511922105005']));
    expect(officials).toContainEqual({ village: { code: '511922105005' }, role: 'ACCOUNTANT', user: { name: '茶坪村报账员 陈会计' } });
  });

  it('the county workbook adds the disposals, revitalisation cases and ventures sheets when the county has them', async () => {
    const res = await request(app)
      .get('/exports/reports/county-report.xlsx?regionCode=511922000000')
      .set('authorization', `Bearer ${DEMO_TOKENS.COUNTY_FINANCE}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '汇总（按下级区划和类别）', '汇总（按类别和确权层级）', '汇总（按资金来源）', '资金来源', '审计发现', '收益分配', '闲置与处置', '资产处置', '盘活', '联营', '说明',
    ]);
    const cells = (name: string) => wb.getWorksheet(name)!.getSheetValues().flat().map(String);
    expect(cells('资产处置')).toEqual(expect.arrayContaining(['茶坪村连栋蔬菜大棚（3栋）', '报损', '已处置']));
    expect(cells('盘活')).toEqual(expect.arrayContaining(['是'])); // 红岩村's case past its deadline
    expect(wb.getWorksheet('联营')!.getRow(1).values).toEqual(expect.arrayContaining(['名称', '申报收益（元）', '已分配（元）', '未分配（元）']));
    expect(wb.getWorksheet('联营')!.rowCount).toBeGreaterThan(1);
  });
});

describe("today's roll-up reads the status column (issue 16, G6)", () => {
  // registerSummary as of today takes each asset's status from assets.status instead of its events. The demo
  // county went through every write path (rights, contracts, ventures, pledges, disposal, revitalisation):
  // the column must equal the status read from the events, and the summary the one read the slow way.
  it('every asset: the status column equals the status on today from the events', async () => {
    const assets = await t.db('assets').select('id', 'status');
    const fromEvents = await assetsRepo.statusesOn(t.db, assets.map((a) => a.id), TEST_NOW.slice(0, 10));
    expect(assets.filter((a) => fromEvents.get(a.id) !== a.status)).toEqual([]);
    expect(new Set(assets.map((a) => a.status)).size).toBeGreaterThan(4);
  });
  it.each<[string, SummaryDimension[]]>([
    ['510000000000', ['CLASS', 'FUND_SOURCE']],
    ['511922000000', ['STATUS', 'CHILD_REGION']],
    ['511922105000', ['FUND_SOURCE', 'RIGHTS_LEVEL', 'YEAR']],
    ['511922000000', []],
  ])('%s by %j: today through the column equals today through the events', async (regionCode, groupBy) => {
    const actor = toActor(await t.db('users').where({ role: 'ADMIN' }).first());
    const today = TEST_NOW.slice(0, 10);
    const fast = await registerSummary({ db: t.db, clock: fixedClock(TEST_NOW), actor }, { regionCode, groupBy });
    // With the clock a day later, the same date is a past date: the events path.
    const slow = await registerSummary({ db: t.db, clock: fixedClock('2026-11-23T02:00:00.000Z'), actor }, { regionCode, asOf: today, groupBy });
    expect(fast).toEqual(slow);
    expect(fast!.total.assetCount).toBeGreaterThan(0);
  });
});
