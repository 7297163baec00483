/**
 * Printable notices and xlsx exports (issue 14). A published plan notice renders as an A4 page with every line
 * and recipient (ID numbers masked), the dates, the objection contact and the fingerprint (content hash and
 * journal head at publication); the summary, findings and county workbook download as xlsx with Chinese
 * headers; both are scoped like every read.
 */
import request from 'supertest';
import ExcelJS from 'exceljs';
import { setup, TestEnv, TOKENS } from './helpers';
import { fundVillage, households, ok, PAY, planAt, RESULTS } from './distribution.helpers';
import { createProject, registerAsset } from './fixtures';
import { headAt } from '../src/modules/journal/journal.repository';
import { V } from '../seeds/demo-data';

let env: TestEnv;
let planId: string;
let hs: string[];
beforeAll(async () => {
  env = await setup();
  const project = await createProject(env);
  await registerAsset(env, project.id, { bookedOn: null });
  await fundVillage(env, V.chaping, 20_000_000, '2024-12-31');
  hs = await households(env, 3);
  planId = await planAt(env, 'IN_NOTICE', hs);
});
afterAll(() => env.close());

const get = (path: string, token: keyof typeof TOKENS | null = 'finance') => {
  const r = request(env.app).get(path);
  if (token) r.set('authorization', `Bearer ${TOKENS[token]}`);
  return r;
};

describe('printable notice /notices/:id', () => {
  it('renders the plan notice for A4 with lines, recipients (IDs masked), dates, objection contact and fingerprint', async () => {
    const plan = (await env.gql('clerk', `query($id: ID!) { distributionPlan(id: $id) { notices { kind startOn endOn contentSha256 publishedAt printUrl }
      lines { type amount recipients { household { headName idNumber } amount } } } }`, { id: planId })).data.distributionPlan;
    const notice = plan.notices[0];
    expect(notice.printUrl).toMatch(/^\/notices\/\d+$/);
    const res = await get(notice.printUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('村集体资产收益分配方案公示');
    expect(html).toContain('茶坪村');
    expect(html).toContain('2024-01-01 至 2024-12-31');
    expect(html).toContain(`<strong>${notice.startOn}</strong> 至 <strong>${notice.endOn}</strong>`);
    expect(html).toContain('村务监督委员会');
    expect(html).toContain(notice.contentSha256);
    const head = await headAt(env.db, notice.publishedAt);
    expect(html).toContain(`发布时账簿链头：第 ${head.lastSequence} 笔，哈希 <code>${head.lastHash}</code>`);
    for (const l of plan.lines) {
      expect(html).toContain(`<td class="amt">${l.amount}</td>`);
      for (const r of l.recipients) {
        expect(html).toContain(r.household.headName);
        expect(html).not.toContain(r.household.idNumber);
        expect(html).toContain(`${r.household.idNumber.slice(0, 4)}**********${r.household.idNumber.slice(-4)}`);
      }
    }
  });

  it('is scoped: another village gets 404, no token 401, a malformed id 404', async () => {
    const plan = (await env.gql('clerk', `query($id: ID!) { distributionPlan(id: $id) { notices { printUrl } } }`, { id: planId })).data.distributionPlan;
    expect((await get(plan.notices[0].printUrl, 'otherClerk')).status).toBe(404);
    expect((await get(plan.notices[0].printUrl, 'reviewer')).status).toBe(200);
    expect((await get(plan.notices[0].printUrl, null)).status).toBe(401);
    expect((await get('/notices/abc')).status).toBe(404);
  });
});

describe('printable results notice', () => {
  let local: TestEnv;
  beforeAll(async () => {
    local = await setup();
  });
  afterAll(() => local.close());

  it('lists each payment with its date and masked ID, and totals what was paid', async () => {
    await fundVillage(local, V.chaping, 20_000_000, '2024-12-31');
    const hh = await households(local, 3);
    const id = await planAt(local, 'EXECUTED', hh);
    for (const [i, h] of hh.entries()) await ok(local, 'clerk', PAY, { planId: id, householdId: h, paidOn: '2025-02-05', bankReference: `NXS-P-${i}`, idempotencyKey: `ppay-${i}` });
    await ok(local, 'clerk', RESULTS, { planId: id, startOn: '2025-02-10' });
    const plan = (await local.gql('clerk', `query($id: ID!) { distributionPlan(id: $id) { notices { kind printUrl }
      payments { amount household { headName idNumber } } } }`, { id })).data.distributionPlan;
    const results = plan.notices.find((n: any) => n.kind === 'RESULTS');
    const res = await request(local.app).get(results.printUrl).set('authorization', `Bearer ${TOKENS.clerk}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('村集体资产收益分配结果公开');
    expect(res.text).toContain('公开期：<strong>2025-02-10</strong>');
    let paid = 0;
    for (const p of plan.payments) {
      expect(res.text).toContain(`${p.household.headName}（2025-02-05 支付）`);
      expect(res.text).toContain(`${p.household.idNumber.slice(0, 4)}**********${p.household.idNumber.slice(-4)}`);
      expect(res.text).not.toContain(p.household.idNumber);
      paid += Math.round(Number(p.amount) * 100);
    }
    expect(res.text).toContain(`支付合计</td><td class="amt">${(paid / 100).toFixed(2)}</td>`);
  });
});

async function workbook(res: request.Response) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body);
  return wb;
}
const binary = (r: request.Test) => r.buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

describe('xlsx exports', () => {
  it('summary by township and class, with Chinese headers and a total row', async () => {
    const res = await binary(get('/exports/reports/summary.xlsx?regionCode=511922000000&groupBy=CHILD_REGION,CLASS'));
    expect(res.status).toBe(200);
    const ws = (await workbook(res)).getWorksheet('台账汇总')!;
    expect(ws.getRow(1).values).toEqual([undefined, '资产类别', '区划', '资产数量', '原值（元）', '累计折旧（元）', '账面价值（元）', '已处置数量', '已处置原值（元）']);
    expect(ws.getRow(2).values).toEqual([undefined, '经营性', '云顶镇（511922105000）', 1, '600000.00', '0.00', '600000.00', 0, '0.00']);
    expect(ws.getRow(3).values).toEqual([undefined, '合计', '', 1, '600000.00', '0.00', '600000.00', 0, '0.00']);
  });

  it('findings with their class, severity and evidence', async () => {
    const res = await binary(get('/exports/reports/findings.xlsx?regionCode=511922000000'));
    const ws = (await workbook(res)).getWorksheet('审计发现')!;
    expect(ws.getRow(1).values).toEqual([undefined, '类别代码', '类别', '严重程度', '区划代码', '说明', '涉及对象', '证据', '起始日期']);
    const codes = ws.getSheetValues().slice(2).map((r: any) => r[1]);
    expect(codes).toEqual(expect.arrayContaining(['PROJECT_NOT_MATCHED_BY_ASSETS', 'REGISTERED_NOT_BOOKED']));
  });

  it('the one-click county workbook', async () => {
    const res = await binary(get('/exports/reports/county-report.xlsx?regionCode=511922000000&asOf=2026-11-22', 'planner'));
    expect(res.status).toBe(200);
    const wb = await workbook(res);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总（按下级区划和类别）', '汇总（按类别和确权层级）', '汇总（按资金来源）', '资金来源', '审计发现', '收益分配', '闲置与处置', '说明']);
    expect(wb.getWorksheet('收益分配')!.getRow(2).getCell(3).value).toBe('茶坪村2024年度资产收益分配方案');
  });

  it('is scoped and validated: a clerk cannot export the county; bad groupBy and future dates are refused', async () => {
    expect((await get('/exports/reports/county-report.xlsx?regionCode=511922000000', 'clerk')).status).toBe(404);
    expect((await get(`/exports/reports/summary.xlsx?regionCode=${V.chaping}`, 'clerk')).status).toBe(200);
    expect((await get('/exports/reports/summary.xlsx?regionCode=511922000000&groupBy=COLOUR')).status).toBe(400);
    expect((await get('/exports/reports/summary.xlsx?regionCode=511922000000&asOf=2030-01-01')).status).toBe(400);
    expect((await get('/exports/reports/summary.xlsx?regionCode=511922000000', null)).status).toBe(401);
  });
});
