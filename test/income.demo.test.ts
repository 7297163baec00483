/** The demo county's income (seeds/demo-income.ts), loaded through the services. */
import request from 'supertest';
import { createTestDb, TestDb, TEST_NOW } from './helpers';
import { createApp } from '../src/server/app';
import { fixedClock } from '../src/shared/clock';
import { loadDemo, DEMO_TOKENS } from '../seeds/demo';
import { DEMO_INCOME } from '../seeds/demo-income';
import { REVITALISATION_DEMO_RECEIPTS } from '../seeds/demo-revitalisation';
import { V } from '../seeds/demo-data';

let t: TestDb;
let gql: (token: string, query: string, variables?: object) => Promise<any>;
beforeAll(async () => {
  t = await createTestDb();
  await loadDemo(t.db, fixedClock(TEST_NOW));
  const app = createApp({ db: t.db, clock: fixedClock(TEST_NOW) });
  gql = async (token, query, variables) => (await request(app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables })).body;
});
afterAll(() => t.destroy());

const kiwiQuery = `{ assets(filter: { text: "猕猴桃" }) { nodes { id lastIncomeOn incomeRecords { kind receivedOn amount voucherNo payer { name } contract { contractNo }
  entry { postings { amount account { kind holder { name } } } } } } } }`;

describe('demo income', () => {
  it('books 亮垭村\'s kiwi park guaranteed return for 2023 and 2024 from 剑阁县农业投资有限公司, awaiting distribution', async () => {
    const kiwi = (await gql(DEMO_TOKENS.LIANGYA_CLERK, kiwiQuery)).data.assets.nodes[0];
    expect(kiwi.lastIncomeOn).toBe('2024-12-30');
    expect(kiwi.incomeRecords.map((r: any) => [r.kind, r.receivedOn, r.amount])).toEqual([
      ['RENT', '2023-12-28', '266000.00'],
      ['RENT', '2024-12-26', '266000.00'],
      ['DIVIDEND', '2024-12-30', '38000.00'],
    ]);
    for (const r of kiwi.incomeRecords) {
      expect(r.payer.name).toBe('剑阁县农业投资有限公司');
      expect(r.contract.contractNo).toBe('剑阁普安委〔2020〕01号');
      expect(r.entry.postings).toContainEqual({ amount: r.amount, account: { kind: 'INCOME_PENDING_DISTRIBUTION', holder: { name: '亮垭村股份经济合作社' } } });
    }
    const vs = `query($id: ID!, $y: Int!) { incomeVsContract(assetId: $id, year: $y) { received guaranteedReturn expected shortfall } }`;
    expect((await gql(DEMO_TOKENS.JIANGE_FINANCE, vs, { id: kiwi.id, y: 2023 })).data.incomeVsContract).toEqual({
      received: '266000.00',
      guaranteedReturn: '266000.00',
      expected: '266000.00',
      shortfall: '0.00',
    });
    const holder = await gql(DEMO_TOKENS.JIANGE_FINANCE, `{ parties(filter: { regionCode: "${V.liangya}", kind: VILLAGE_COLLECTIVE }) { nodes { id } } }`);
    const balance = await gql(
      DEMO_TOKENS.JIANGE_FINANCE,
      `query($h: ID!) { pending: accountBalance(holderId: $h, kind: INCOME_PENDING_DISTRIBUTION) { balance } }`,
      { h: holder.data.parties.nodes[0].id },
    );
    // 570 000 came in; the demo's closed 2024 plan distributed the 304 000 received in 2024.
    expect(balance.data.pending.balance).toBe('266000.00');
  });

  it('shows 南江县\'s 2024 shortfalls: the tea plant below its guarantee, and 桃园村\'s defaulted lease', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ incomeShortfalls(regionCode: "511922000000", year: 2024) { totalCount nodes {
      asset { name } received rentDue guaranteedReturn expected shortfall } } }`);
    expect(body.data.incomeShortfalls.nodes).toEqual([
      { asset: { name: '云顶茶叶加工厂（厂房及生产线）' }, received: '150000.00', rentDue: '200000.00', guaranteedReturn: '192000.00', expected: '200000.00', shortfall: '50000.00' },
      // 90 000 × 334/366 (the lease bound until 2024-11-29).
      { asset: { name: '桃园村精品民宿（12间）' }, received: '45000.00', rentDue: '82131.15', guaranteedReturn: '0.00', expected: '82131.15', shortfall: '37131.15' },
    ]);
  });

  it('flags 红岩村\'s PV income, waiting since December 2023, as idle funds (资金滞留)', async () => {
    const body = await gql(DEMO_TOKENS.COUNTY_FINANCE, `{ distributionFlags(regionCode: "511922000000") { code message village { name } } }`);
    const idle = body.data.distributionFlags.filter((f: any) => f.code === 'FUNDS_IDLE');
    expect(idle).toContainEqual(expect.objectContaining({ village: { name: '红岩村' }, message: expect.stringContaining('2023-12-25') }));
  });

  it('keeps the journal intact, one INCOME entry per receipt', async () => {
    const body = await gql(DEMO_TOKENS.ADMIN, `{ journalVerify { intact } journalEntries(filter: { kind: INCOME }) { totalCount } incomeRecords(first: 100) { totalCount } }`);
    expect(body.data.journalVerify).toEqual({ intact: true });
    // The revitalisation demo adds 桃园村's first rent under its new lease.
    expect(body.data.journalEntries.totalCount).toBe(DEMO_INCOME.length + REVITALISATION_DEMO_RECEIPTS);
    expect(body.data.incomeRecords.totalCount).toBe(DEMO_INCOME.length + REVITALISATION_DEMO_RECEIPTS); // the province admin sees both counties
  });
});
