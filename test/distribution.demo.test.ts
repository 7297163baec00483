import request from 'supertest';
import { createTestDb, TestDb } from './helpers';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { systemClock } from '../src/shared/clock';
import { createApp } from '../src/server/app';

describe('demo distributions', () => {
  let t: TestDb;
  let gql: (token: string, query: string) => Promise<any>;
  beforeAll(async () => {
    t = await createTestDb();
    await loadDemo(t.db, systemClock);
    const app = createApp({ db: t.db });
    gql = (token, query) => request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query }).then((r) => r.body);
  });
  afterAll(() => t.destroy());

  it('亮垭村 distributed its 2024 kiwi income through the whole procedure, reconciled to the fen', async () => {
    const body = await gql(DEMO_TOKENS.JIANGE_FINANCE, `{ distributionPlans { nodes { id status } } }`);
    const [plan] = body.data.distributionPlans.nodes;
    expect(plan.status).toBe('CLOSED');
    const r = (await gql(DEMO_TOKENS.JIANGE_FINANCE, `{ distributionAuditReport(planId: "${plan.id}") {
      incomeInPeriod totals { planTotal linesTotal paid unpaid executedInJournal reconciles } datesInOrder procedure { step } flags { code } } }`)).data.distributionAuditReport;
    expect(r.totals.reconciles).toBe(true);
    expect(r.datesInOrder).toBe(true);
    expect(r.totals.planTotal).toBe(r.incomeInPeriod);
    expect(r.totals.unpaid).toBe('0.00');
    expect(r.totals.executedInJournal).toBe(r.totals.planTotal);
    expect(r.procedure.map((s: any) => s.step)).toEqual(expect.arrayContaining(['REPRESENTATIVES', 'PLAN_NOTICE', 'TOWNSHIP_APPROVAL', 'EXECUTION', 'PAYMENT', 'RESULTS_NOTICE']));
    expect(r.flags).toEqual([]);
    expect((await gql(DEMO_TOKENS.JIANGE_FINANCE, `{ journalVerify { intact } }`)).data.journalVerify.intact).toBe(true);
  });

  it('茶坪村 has a plan under notice that the 云顶镇 reviewer can approve, and 石桥村 a flagged draft', async () => {
    const plans = (await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ distributionPlans { nodes { id status village { name } flags { code } } } }`)).data.distributionPlans.nodes;
    const chaping = plans.find((p: any) => p.village.name === '茶坪村');
    const shiqiao = plans.find((p: any) => p.village.name === '石桥村');
    expect(chaping.status).toBe('IN_NOTICE');
    expect(shiqiao.status).toBe('DRAFT');
    expect(shiqiao.flags.map((f: any) => f.code).sort()).toEqual(['DIVIDEND_SHARE_HIGH', 'FLAT_EQUAL_SPLIT']);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const approve = await gql(
      DEMO_TOKENS.TOWNSHIP_REVIEWER,
      `mutation { distributionPlanApprove(input: { planId: "${chaping.id}", reviewedOn: "${today}", opinion: "同意" }) { plan { status } errors { code message } } }`,
    );
    expect(approve.data.distributionPlanApprove).toEqual({ plan: { status: 'APPROVED' }, errors: [] });
  });
});
