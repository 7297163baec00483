/** The demo's revitalisation (seeds/demo-revitalisation.ts): what the README tells a reader to check by hand. */
import request from 'supertest';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';

let t: TestDb;
let app: ReturnType<typeof createApp>;
let gql: (token: string, query: string, variables?: object) => Promise<any>;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
  app = createApp({ db: t.db, clock: fixedClock(TEST_NOW) });
  gql = async (token, query, variables) => (await request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables })).body;
});
afterAll(() => t.destroy());

const NANJIANG = '511922000000';

describe('demo revitalisation', () => {
  it('detects idle assets by the rule in both counties', async () => {
    const nj = (await gql(DEMO_TOKENS.COUNTY_PLANNER, `{ idleAssets(regionCode: "${NANJIANG}") { asset { name status } lastActivityKind lastActivityOn monthsInactive openCase { path } } }`)).data.idleAssets;
    expect(nj.map((f: any) => [f.asset.name, f.asset.status, f.lastActivityKind, f.openCase?.path ?? null])).toEqual([
      ['云顶社区游客服务中心', 'CONFIRMED', 'ACCEPTANCE', null],
      ['松林村茶叶电商直播间', 'REGISTERED', 'ACCEPTANCE', null],
      ['青岗村集中供水工程', 'IN_USE', 'USE', null],
      ['红岩村帮扶车间', 'IDLE', 'HANDOVER', 'OPTIMISE_USE'],
    ]);
    const jg = (await gql(DEMO_TOKENS.ADMIN, `{ idleAssets(regionCode: "510823000000") { asset { name status } openCase { path overdue } } }`)).data.idleAssets;
    expect(jg).toEqual([{ asset: { name: '亮垭村农产品冷藏保鲜库', status: 'IDLE' }, openCase: { path: 'ATTRACT_OPERATORS', overdue: false } }]);
  });

  it('lists 2024\'s low-efficiency assets with their figures, the e-commerce station excused', async () => {
    const q = `query($r: String) { lowEfficiencyAssets(regionCode: $r, year: 2024) { asset { name } received guaranteedReturn benchmark shortfall reasons poorWorkers excused } }`;
    expect((await gql(DEMO_TOKENS.COUNTY_PLANNER, q, { r: NANJIANG })).data.lowEfficiencyAssets).toEqual([
      { asset: { name: '云顶茶叶加工厂（厂房及生产线）' }, received: '150000.00', guaranteedReturn: '192000.00', benchmark: '96000.00', shortfall: '42000.00', reasons: ['BELOW_GUARANTEE'], poorWorkers: 6, excused: false },
      { asset: { name: '桃园村精品民宿（12间）' }, received: '45000.00', guaranteedReturn: '0.00', benchmark: '49278.69', shortfall: '4278.69', reasons: ['BELOW_BENCHMARK'], poorWorkers: null, excused: false },
    ]);
    expect((await gql(DEMO_TOKENS.ADMIN, q, { r: '510823000000' })).data.lowEfficiencyAssets).toEqual([
      { asset: { name: '亮垭村农产品电商服务站' }, received: '0.00', guaranteedReturn: '0.00', benchmark: '12000.00', shortfall: '12000.00', reasons: ['BELOW_BENCHMARK'], poorWorkers: 15, excused: true },
    ]);
  });

  it('has cases on several paths: one closed by a new lease with income, one overdue, one abandoned', async () => {
    const cases = (await gql(DEMO_TOKENS.COUNTY_PLANNER, `{ revitalisationCases { nodes { asset { name } path status overdue closingKind closingEvidence abandonReason } } }`)).data.revitalisationCases.nodes;
    expect(cases.map((c: any) => [c.asset.name, c.path, c.status, c.overdue])).toEqual([
      ['云顶茶叶加工厂（厂房及生产线）', 'STRENGTHEN_ALLOCATION', 'OPEN', false],
      ['红岩村帮扶车间', 'OPTIMISE_USE', 'OPEN', true],
      ['云顶社区游客服务中心', 'FLEXIBLE_RESTRUCTURING', 'ABANDONED', false],
      ['桃园村精品民宿（12间）', 'ATTRACT_OPERATORS', 'CLOSED', false],
    ]);
    const closed = cases[3];
    expect(closed.closingKind).toBe('NEW_CONTRACT_WITH_INCOME');
    expect(JSON.parse(closed.closingEvidence)).toMatchObject({ contractNo: '南江桃园租〔2026〕01号', signedOn: '2026-02-20', incomeFen: 8_000_000, firstIncomeOn: '2026-03-05' });
  });

  it('gives the 盘活率 of the README: 南江县 137/520 = 2635 bp, 云顶镇 19/60 = 3167 bp, 长赤镇 0', async () => {
    const r = (await gql(DEMO_TOKENS.COUNTY_PLANNER, `{ revitalisationRate(regionCode: "${NANJIANG}") { toRevitaliseCount toRevitaliseValue revitalisedCount revitalisedValue ratioNumerator ratioDenominator rateBp
      children { region { name } toRevitaliseCount toRevitaliseValue revitalisedCount revitalisedValue ratioNumerator ratioDenominator rateBp } } }`)).data.revitalisationRate;
    expect(r).toMatchObject({ toRevitaliseCount: 4, toRevitaliseValue: '6500000.00', revitalisedCount: 1, revitalisedValue: '1800000.00', ratioNumerator: '137', ratioDenominator: '520', rateBp: 2635 });
    expect(r.children).toEqual([
      { region: { name: '长赤镇' }, toRevitaliseCount: 1, toRevitaliseValue: '500000.00', revitalisedCount: 0, revitalisedValue: '0.00', ratioNumerator: '0', ratioDenominator: '1', rateBp: 0 },
      { region: { name: '云顶镇' }, toRevitaliseCount: 3, toRevitaliseValue: '6000000.00', revitalisedCount: 1, revitalisedValue: '1800000.00', ratioNumerator: '19', ratioDenominator: '60', rateBp: 3167 },
    ]);
  });

  it('shows the kiwi park\'s 2024 联农带农 figures', async () => {
    const b = (await gql(DEMO_TOKENS.LIANGYA_CLERK, `{ benefitLinkages(year: 2024) { asset { name } outputValue wages poorWorkers poorWorkerEarnings } }`)).data.benefitLinkages;
    expect(b).toContainEqual({ asset: { name: '亮垭村红心猕猴桃产业园（350亩）' }, outputValue: '2830000.00', wages: '605000.00', poorWorkers: 102, poorWorkerEarnings: '136000.00' });
  });

  it('exports the planner\'s overview as xlsx, scoped like the API', async () => {
    const res = await request(app).get(`/exports/revitalisation/${NANJIANG}/overview.xlsx`).set('authorization', `Bearer ${DEMO_TOKENS.COUNTY_PLANNER}`).buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['盘活总览', '盘活方案', '闲置资产', '2025年低效资产']);
    const total = wb.getWorksheet('盘活总览')!.getRow(2).values as unknown[];
    expect(total.slice(1, 12)).toEqual(['南江县', 4, '2450000.00', expect.any(Number), expect.any(String), 0, 4, '6500000.00', 1, '1800000.00', '26.35']);
    expect(wb.getWorksheet('盘活方案')!.rowCount).toBe(5);
    const other = await request(app).get(`/exports/revitalisation/${NANJIANG}/overview.xlsx`).set('authorization', `Bearer ${DEMO_TOKENS.LIANGYA_CLERK}`);
    expect(other.status).toBe(404);
    expect((await request(app).get(`/exports/revitalisation/${NANJIANG}/overview.xlsx`)).status).toBe(401);
  });

  it('runs the README\'s planner flow: flag Asset:9, open its case, closing case 1 without evidence is refused', async () => {
    const P = DEMO_TOKENS.COUNTY_PLANNER;
    const flag = await gql(P, `mutation { idleFlagRaise(input: { assetId: "Asset:9", flaggedOn: "2026-11-01" }) { flags { asset { name status } event { action } } errors { code } } }`);
    expect(flag.data.idleFlagRaise).toEqual({ flags: [{ asset: { name: '青岗村集中供水工程', status: 'IDLE' }, event: { action: 'MARK_IDLE' } }], errors: [] });
    const open = await gql(P, `mutation { revitalisationCaseOpen(input: { assetId: "Asset:9", path: IMPROVE_FACILITIES, measures: "更换管网并落实管护", responsibleUnit: "云顶镇人民政府",
      responsiblePerson: "王镇长", openedOn: "2026-11-02", deadlineOn: "2027-06-30", target: "恢复供水并落实管护责任" }) { case { status } errors { code } } }`);
    expect(open.data.revitalisationCaseOpen).toEqual({ case: { status: 'OPEN' }, errors: [] });
    const close = await gql(P, `mutation { revitalisationCaseClose(input: { caseId: "RevitalisationCase:1", closedOn: "2026-11-20", kind: NEW_CONTRACT_WITH_INCOME }) { case { status } errors { code } } }`);
    expect(close.data.revitalisationCaseClose).toEqual({ case: null, errors: [{ code: 'EVIDENCE_BEFORE_CASE' }] });
  });

  it('answers every query of the README\'s planner section without errors (depth and cost limits included)', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### County planner'), readme.indexOf('## Running on PostgreSQL'));
    const queries = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1].split(/\n(?=(?:query|mutation|\{))/))
      .filter((op) => op.trim().startsWith('{'));
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const q of queries) {
      const body = await gql(DEMO_TOKENS.ADMIN, q);
      expect(body.errors).toBeUndefined();
    }
  });
});
