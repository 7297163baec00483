import request from 'supertest';
import type { App } from '../src/server/app';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { isValidCreditCode } from '../src/modules/parties/creditCode';

/** The demo county with issue 3's data: owners, deeds, keepers, contracts — loaded through the services. */
async function demo(now: string): Promise<{ t: TestDb; app: App; gql: (token: string, query: string, variables?: object) => Promise<any> }> {
  const t = await createTestDb();
  const clock = fixedClock(now);
  await loadDemo(t.db, clock);
  const app = createApp({ db: t.db, clock });
  const gql = async (token: string, query: string, variables?: object) =>
    (await request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables })).body;
  return { t, app, gql };
}

let d: Awaited<ReturnType<typeof demo>>;
beforeAll(async () => {
  d = await demo(TEST_NOW);
});
afterAll(() => d.t.destroy());

const byName = `query($text: String) { assets(filter: { text: $text }) { nodes {
  name status owners { shareBp party { name kind } } rights { rightsLevel certificateNo } handoverDeed { deedNo transferor witness recipient { name } }
  upkeep { personName body { name } } documents { title stored downloadUrl }
  currentContract { contractNo mode state endOn guaranteedRateBp version operator { name kind creditCode } fee { kind annualAmount } }
} } }`;

describe('demo county (issue 3)', () => {
  it('contracts the 亮垭村 kiwi park to the county agricultural investment company, owned by 亮垭村', async () => {
    const body = await d.gql(DEMO_TOKENS.JIANGE_FINANCE, byName, { text: '猕猴桃' });
    const kiwi = body.data.assets.nodes[0];
    expect(kiwi.owners).toEqual([{ shareBp: 10000, party: { name: '亮垭村股份经济合作社', kind: 'VILLAGE_COLLECTIVE' } }]);
    expect(kiwi.handoverDeed).toMatchObject({ transferor: '剑阁县农业农村局', witness: '普安镇人民政府', recipient: { name: '亮垭村股份经济合作社' } });
    expect(kiwi.currentContract).toMatchObject({ mode: 'ENTRUSTED', state: 'ACTIVE', version: 2, guaranteedRateBp: 700 });
    expect(kiwi.currentContract.operator).toMatchObject({ name: '剑阁县农业投资有限公司', kind: 'COMPANY' });
    expect(isValidCreditCode(kiwi.currentContract.operator.creditCode)).toBe(true);
    expect(kiwi.documents.map((doc: any) => doc.title)).toEqual(['亮垭村红心猕猴桃产业园资产移交书', '猕猴桃产业园委托经营合同']);
    const file = await request(d.app).get(kiwi.documents[0].downloadUrl).set('authorization', `Bearer ${DEMO_TOKENS.LIANGYA_CLERK}`);
    expect(file.status).toBe(200);
  });

  it('gives 云顶镇\'s homestays, tea plant and the 红岩村 PV station owners, deeds and contracts', async () => {
    const body = await d.gql(DEMO_TOKENS.COUNTY_FINANCE, `{ assets(first: 100, filter: { class: OPERATING }) { nodes {
      name status owners { shareBp } handoverDeed { deedNo } currentContract { mode operator { name } } } } }`);
    const get = (name: string) => body.data.assets.nodes.find((a: any) => a.name.startsWith(name));
    for (const name of ['云顶茶叶加工厂', '金台村茶旅民宿', '青岗村农家民宿', '石桥村生态茶园基地', '红岩村村级光伏电站']) {
      const a = get(name);
      expect(a.status).toBe('IN_OPERATION');
      expect(a.owners.reduce((s: number, o: any) => s + o.shareBp, 0)).toBe(10000);
      expect(a.handoverDeed.deedNo).toMatch(/南江资移/);
      expect(a.currentContract).not.toBeNull();
    }
    expect(get('青岗村农家民宿').currentContract.mode).toBe('SELF_OPERATED');
    // Lease terminated 2024-11-30, idle, then re-let from 2026-03-01 by the revitalisation demo's case.
    expect(get('桃园村精品民宿').status).toBe('IN_OPERATION');
    expect(get('桃园村精品民宿').currentContract.operator.name).toBe('南江县云顶文旅发展有限公司');
    expect(get('云顶社区游客服务中心').owners.map((o: any) => o.shareBp)).toEqual([5000, 2500, 2500]);
    const none = await d.gql(DEMO_TOKENS.COUNTY_FINANCE, `{ operatingAssetsWithoutContract { totalCount } }`);
    expect(none.data.operatingAssetsWithoutContract.totalCount).toBe(0);
  });

  it('has one contract expiring within 60 days, one overlong contract and one public-welfare asset without upkeep', async () => {
    const expiring = await d.gql(DEMO_TOKENS.COUNTY_FINANCE, `{ contractsExpiring(withinDays: 60) { nodes { contractNo asset { name } } } }`);
    expect(expiring.data.contractsExpiring.nodes.map((c: any) => c.asset.name)).toEqual(['金台村茶旅民宿（8间）']);
    const overlong = await d.gql(DEMO_TOKENS.COUNTY_PLANNER, `{ contractsOverlong { nodes { asset { name } termMonths } } }`);
    expect(overlong.data.contractsOverlong.nodes).toEqual([{ asset: { name: '石桥村生态茶园基地' }, termMonths: 360 }]);
    const warnings = await d.gql(DEMO_TOKENS.COUNTY_PLANNER, `{ upkeepWarnings { nodes { kind asset { name } } } }`);
    expect(warnings.data.upkeepWarnings.nodes).toEqual([{ kind: 'NO_KEEPER', asset: { name: '青岗村集中供水工程' } }]);
    const road = await d.gql(DEMO_TOKENS.VILLAGE_CLERK, byName, { text: '产业路' });
    expect(road.data.assets.nodes[0].upkeep).toEqual({ personName: '陈有才', body: { name: '茶坪村股份经济合作社' } });
  });

  it('confirms the household asset to 20 households of 柏杨社区 at household level', async () => {
    const body = await d.gql(DEMO_TOKENS.COUNTY_FINANCE, byName, { text: '能繁母牛' });
    const cows = body.data.assets.nodes[0];
    expect(cows.rights.rightsLevel).toBe('HOUSEHOLD');
    expect(cows.owners).toHaveLength(20);
    expect(cows.owners.every((o: any) => o.shareBp === 500 && o.party.kind === 'HOUSEHOLD')).toBe(true);
  });

  it('keeps the expiring contract "soon" whenever the demo is loaded', async () => {
    const later = await demo('2027-06-01T02:00:00.000Z');
    try {
      const expiring = await later.gql(DEMO_TOKENS.COUNTY_FINANCE, `{ contractsExpiring(withinDays: 60) { nodes { asset { name } endOn } } }`);
      expect(expiring.data.contractsExpiring.nodes).toEqual([{ asset: { name: '金台村茶旅民宿（8间）' }, endOn: '2027-07-16' }]);
    } finally {
      await later.t.destroy();
    }
  });
});
