/** The demo county's disposals and pledge (seeds/demo-disposal.ts), loaded through the services. */
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

const LIST = `{ disposals { totalCount nodes { method status flags asset { name status } chain { template status nextStep { kind role } }
  appraisal { value } notice { startOn endOn }
  execution { price insurance proceeds insurer { name } entry { kind postings { amount account { kind holder { name } } } } } } } }`;

describe('demo disposal', () => {
  it('shows the flood-damaged greenhouse fully executed, its insurance booked to the owner village\'s proceeds', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, LIST);
    const loss = body.data.disposals.nodes.find((d: any) => d.method === 'LOSS');
    expect(loss).toMatchObject({ status: 'EXECUTED', flags: [], asset: { name: '茶坪村连栋蔬菜大棚（3栋）', status: 'DISPOSED' } });
    expect(loss.execution).toMatchObject({ price: '0.00', insurance: '216000.50', proceeds: '216000.50', insurer: { name: '中国人民财产保险股份有限公司南江支公司' } });
    const proceeds = loss.execution.entry.postings.filter((p: any) => p.account.kind === 'DISPOSAL_PROCEEDS').map((p: any) => [p.account.holder.name, p.amount]);
    expect(proceeds).toEqual([['茶坪村股份经济合作社', '216000.50']]);
  });

  it('shows the cold store auction awaiting county finance', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, LIST);
    const auction = body.data.disposals.nodes.find((d: any) => d.method === 'AUCTION');
    expect(auction).toMatchObject({
      status: 'IN_APPROVAL',
      asset: { status: 'DISPOSAL_PENDING' },
      appraisal: { value: '560000.00' },
      chain: { template: 'DISPOSAL_TIER_3_OPERATING_SALE', status: 'PENDING', nextStep: { kind: 'COUNTY_FINANCE', role: 'COUNTY_FINANCE' } },
    });
    const tray = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ approvalsAwaitingMe { nodes { purpose template } } }`);
    expect(tray.data.approvalsAwaitingMe.nodes).toContainEqual({ purpose: 'DISPOSAL', template: 'DISPOSAL_TIER_3_OPERATING_SALE' });
  });

  it('shows the tea factory mortgaged for a loan, approved, its lease running on', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ assetPledges { nodes { status kind subjectKind loan pledgee { name } asset { name status } chain { status } } } }`);
    expect(body.data.assetPledges.nodes[0]).toEqual({
      status: 'ACTIVE',
      kind: 'MORTGAGE',
      subjectKind: 'ASSET',
      loan: '800000.00',
      pledgee: { name: '南江县农村信用合作联社' },
      asset: { name: '云顶茶叶加工厂（厂房及生产线）', status: 'IN_OPERATION' },
      chain: { status: 'APPROVED' },
    });
  });

  it('shows 茶坪村\'s venture stake pledged, approved, and its withdrawal refused while it stands', async () => {
    const body = await gql(
      DEMO_TOKENS.COUNTY_FINANCE,
      `{ assetPledges(status: ACTIVE) { nodes { subjectKind kind loan asset { name } ventureMember { village { code } bundle { id name } } chain { status template } } } }`,
    );
    const stake = body.data.assetPledges.nodes.find((p: any) => p.subjectKind === 'VENTURE_STAKE');
    expect(stake).toMatchObject({ kind: 'PLEDGE', loan: '500000.00', asset: null, ventureMember: { village: { code: '511922105005' } }, chain: { status: 'APPROVED', template: 'PLEDGE_VENTURE_STAKE' } });
    const w = await gql(
      DEMO_TOKENS.VILLAGE_CLERK,
      `mutation($b: ID!) { bundleWithdraw(input: { bundleId: $b, villageCode: "511922105005", withdrawnOn: "2026-11-20", reason: "调整产业" }) { errors { code message } } }`,
      { b: stake.ventureMember.bundle.id },
    );
    expect(w.data.bundleWithdraw.errors[0].code).toBe('STAKE_PLEDGED');
  });

  it('shows the greenhouse\'s proceeds partly re-used for its rebuilding, and the county\'s proceeds by village', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ disposals(filter: { method: LOSS }) { nodes { proceedsReused proceedsRemaining proceedsReuses { amount project { name } entry { kind } } } } }`);
    expect(body.data.disposals.nodes[0]).toEqual({
      proceedsReused: '150000.00',
      proceedsRemaining: '66000.50',
      proceedsReuses: [{ amount: '150000.00', project: { name: '茶坪村蔬菜大棚产业项目' }, entry: { kind: 'TRANSFER' } }],
    });
    const s = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ disposalProceedsByRegion(regionCode: "511922000000") { region { name } disposals proceeds reused remaining } }`);
    expect(s.data.disposalProceedsByRegion).toEqual([{ region: { name: '茶坪村' }, disposals: 1, proceeds: '216000.50', reused: '150000.00', remaining: '66000.50' }]);
  });
});

describe('the README example', () => {
  it('requests 茶坪村\'s road for allocation, then the appraisal opens a tier-3 chain', async () => {
    const req = await gql(
      DEMO_TOKENS.VILLAGE_CLERK,
      `mutation { disposalRequest(input: { assetId: "Asset:8", reason: PLANNING_TAKEOVER, method: ALLOCATION, requestedOn: "2026-11-20",
        description: "产业路纳入县道改造，拟整体划转县交通运输局管养" }) { disposal { id status appraisalRequired asset { name status } } errors { code message } } }`,
    );
    expect(req.data.disposalRequest.disposal).toMatchObject({
      id: 'Disposal:3',
      status: 'AWAITING_APPRAISAL',
      asset: { name: '茶坪村产业路（4.5公里）', status: 'DISPOSAL_PENDING' },
    });
    const appr = await gql(
      DEMO_TOKENS.VILLAGE_CLERK,
      `mutation { disposalAppraise(input: { disposalId: "Disposal:3", appraiser: "四川天元资产评估有限公司", appraisedOn: "2026-11-21",
        value: "1210000.00", reportNo: "川天元评报字〔2026〕第0415号" }) { disposal { status chain { template } } errors { code message } } }`,
    );
    expect(appr.data.disposalAppraise.disposal).toEqual({ status: 'IN_APPROVAL', chain: { template: 'DISPOSAL_TIER_3' } });
  });
});
