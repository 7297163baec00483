/**
 * Income against contract (收益对比): the pure arithmetic (pro-rating, one rounding half up), then
 * incomeVsContract and incomeShortfalls through HTTP over full-year, partial-year, amended, renewed,
 * replaced and terminated contracts.
 */
import fc from 'fast-check';
import { countQueries, setup, TestEnv } from './helpers';
import { company } from './journal.fixtures';
import { incomeInput, key, lease, ownedAsset, recorded } from './income.helpers';
import { compareWithContract, daysInYear, prorate, termsInYear } from '../src/modules/income/income.shortfall';
import type { ContractVersion } from '../src/modules/contracts/contracts.types';

describe('arithmetic', () => {
  it('knows leap years', () => {
    expect([2023, 2024, 2100, 2000].map(daysInYear)).toEqual([365, 366, 365, 366]);
  });

  it('pro-rates with one rounding, half up', () => {
    expect(prorate([{ annualFen: 1, days: 183 }], 366)).toBe(1); // exactly half a fen
    expect(prorate([{ annualFen: 1, days: 182 }], 366)).toBe(0);
    // Rounding the sum once, not each part: 3 × 0.4 fen = 1.2 → 1 (rounding each part would give 0).
    expect(prorate([{ annualFen: 146, days: 1 }, { annualFen: 146, days: 1 }, { annualFen: 146, days: 1 }], 365)).toBe(1);
  });

  it('owes exactly the yearly amount for a full year, however the year is cut into versions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 8 }), fc.boolean(), (annualFen, cuts, leap) => {
        const total = leap ? 366 : 365;
        const days: number[] = [];
        let left = total;
        for (const c of cuts) {
          if (c >= left) break;
          days.push(c);
          left -= c;
        }
        days.push(left);
        expect(prorate(days.map((d) => ({ annualFen, days: d })), total)).toBe(annualFen);
      }),
    );
  });

  it('never exceeds the yearly amount and is monotone in days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 365 }), (annualFen, d) => {
        const a = prorate([{ annualFen, days: d }], 365);
        const b = prorate([{ annualFen, days: Math.min(365, d + 1) }], 365);
        expect(a).toBeLessThanOrEqual(annualFen);
        expect(a).toBeLessThanOrEqual(b);
      }),
    );
  });

  const version = (v: number, effectiveFrom: string, endOn: string, yearly: number, rateBp: number | null): ContractVersion => ({
    id: v,
    contractId: 1,
    version: v,
    kind: v === 1 ? 'ORIGINAL' : 'AMENDMENT',
    reason: null,
    actorUserId: 1,
    recordedAt: '',
    signedOn: '2020-01-01',
    effectiveFrom,
    startOn: '2020-01-01',
    endOn,
    fee: { kind: 'FIXED', amountFen: yearly, rateBp: null, period: 'YEAR' },
    guaranteedRateBp: rateBp,
    depositFen: null,
  });

  it('cuts a year by versions and by termination, and compares', () => {
    const contract = { id: 1, contractNo: 'C-1', startOn: '2020-01-01', endOn: '2030-12-31', terminatedOn: '2024-11-01' };
    const terms = termsInYear(
      [{ contract, versions: [version(1, '2020-01-01', '2030-12-31', 1_000_000, 500), version(2, '2024-04-01', '2030-12-31', 2_000_000, null)] }],
      10_000_000,
      2024,
    );
    expect(terms.map((t) => [t.version, t.fromOn, t.toOn, t.days, t.annualRentFen, t.annualGuaranteeFen])).toEqual([
      [1, '2024-01-01', '2024-03-31', 91, 1_000_000, 500_000],
      [2, '2024-04-01', '2024-10-31', 214, 2_000_000, 0],
    ]);
    const r = compareWithContract(7, 2024, terms, 1_000_000);
    // rent (1 000 000 × 91 + 2 000 000 × 214) / 366 = 1 418 032.79 → 1 418 033; guarantee 500 000 × 91 / 366 = 124 316.94 → 124 317.
    expect(r).toMatchObject({ daysInYear: 366, daysInForce: 305, rentDueFen: 1_418_033, guaranteedReturnFen: 124_317, expectedFen: 1_418_033, shortfallFen: 418_033 });
    expect(compareWithContract(7, 2024, terms, 2_000_000).shortfallFen).toBe(0);
    expect(termsInYear([{ contract, versions: [version(1, '2020-01-01', '2030-12-31', 1, null)] }], 1, 2025)).toEqual([]);
    // Terminated on its first day: never bound.
    expect(termsInYear([{ contract: { ...contract, terminatedOn: '2020-01-01' }, versions: [version(1, '2020-01-01', '2030-12-31', 1, null)] }], 1, 2020)).toEqual([]);
  });
});

describe('through the API', () => {
  let env: TestEnv;
  let payer: number;
  const assets: Record<string, string> = {};
  const VS = `query($id: ID!, $year: Int!) { incomeVsContract(assetId: $id, year: $year) {
    asset { id } year daysInYear daysInForce received rentDue guaranteedReturn expected shortfall
    terms { contract { contractNo } version fromOn toOn days annualRent guaranteedRateBp annualGuarantee } } }`;
  const vs = async (name: string, year: number, token: 'finance' | 'clerk' | 'otherClerk' = 'finance') =>
    (await env.gql(token, VS, { id: assets[name], year })).data?.incomeVsContract;
  const ok = async (token: 'clerk', mutation: string, input: object) => {
    const body = await env.gql(token, mutation, { input });
    const payload: any = Object.values(body.data ?? {})[0];
    if (!payload || payload.errors.length) throw new Error(JSON.stringify(body));
    return payload;
  };
  const pay = (name: string, receivedOn: string, amount: string) => recorded(env, incomeInput(assets[name], payer, { receivedOn, amount }));

  beforeAll(async () => {
    env = await setup();
    payer = await company(env, '南江县云顶农业发展有限公司');
    // Full year 2024: 12 500 a quarter (50 000 a year), guarantee 6% of 600 000 (36 000).
    assets.full = (await ownedAsset(env)).id;
    await lease(env, assets.full, payer, { contractNo: 'FULL' });
    await pay('full', '2024-03-31', '20000.00');
    await pay('full', '2024-09-30', '20000.00');
    await pay('full', '2023-12-31', '50000.00'); // another year
    // Starts mid-year: 2024-07-01, 100 000 a year, guarantee 8% (48 000).
    assets.partial = (await ownedAsset(env)).id;
    await lease(env, assets.partial, payer, {
      contractNo: 'PARTIAL',
      signedOn: '2024-06-15',
      startOn: '2024-07-01',
      endOn: '2029-06-30',
      fee: { kind: 'FIXED', amount: '100000.00', period: 'YEAR' },
      guaranteedRateBp: 800,
    });
    await pay('partial', '2024-12-20', '30000.00');
    // Amended from 2025-07-01: the guarantee rises to 15% (90 000 a year) and outweighs the rent.
    assets.amended = (await ownedAsset(env)).id;
    const amended = await lease(env, assets.amended, payer, { contractNo: 'AMENDED' });
    await ok('clerk', `mutation($input: ContractAmendInput!) { contractAmend(input: $input) { errors { code message } } }`, {
      contractId: amended.id,
      signedOn: '2025-06-15',
      effectiveFrom: '2025-07-01',
      guaranteedRateBp: 1500,
      reason: '第二轮补充协议',
    });
    await pay('amended', '2025-10-10', '63221.92');
    // Terminated 2024-11-30: binds 334 days of 2024 at 90 000 a year.
    assets.terminated = (await ownedAsset(env)).id;
    const terminated = await lease(env, assets.terminated, payer, {
      contractNo: 'TERMINATED',
      signedOn: '2022-12-20',
      startOn: '2023-01-01',
      endOn: '2027-12-31',
      fee: { kind: 'FIXED', amount: '90000.00', period: 'YEAR' },
      guaranteedRateBp: null,
    });
    await ok('clerk', `mutation($input: ContractTerminateInput!) { contractTerminate(input: $input) { errors { code message } } }`, {
      contractId: terminated.id,
      terminatedOn: '2024-11-30',
      reason: '承租方经营不善',
    });
    await pay('terminated', '2024-07-01', '45000.00');
    // Renewed from 2024-07-01 at 80 000 a year.
    assets.renewed = (await ownedAsset(env)).id;
    const renewed = await lease(env, assets.renewed, payer, { contractNo: 'RENEWED', endOn: '2024-06-30', guaranteedRateBp: null });
    await ok('clerk', `mutation($input: ContractRenewInput!) { contractRenew(input: $input) { errors { code message } } }`, {
      contractId: renewed.id,
      signedOn: '2024-05-01',
      endOn: '2027-06-30',
      fee: { kind: 'FIXED', amount: '80000.00', period: 'YEAR' },
    });
    await pay('renewed', '2024-12-31', '65081.97'); // exactly what was due
    // Replaced mid-2023 by a new operator's contract.
    assets.replaced = (await ownedAsset(env)).id;
    await lease(env, assets.replaced, payer, { contractNo: 'OLD', endOn: '2023-06-30', fee: { kind: 'FIXED', amount: '40000.00', period: 'YEAR' }, guaranteedRateBp: null });
    await lease(env, assets.replaced, payer, {
      contractNo: 'NEW',
      signedOn: '2023-06-15',
      startOn: '2023-07-01',
      endOn: '2028-06-30',
      fee: { kind: 'FIXED', amount: '60000.00', period: 'YEAR' },
      guaranteedRateBp: null,
    });
    // Paid in full, and one receipt reversed (it does not count).
    assets.paid = (await ownedAsset(env)).id;
    await lease(env, assets.paid, payer, { contractNo: 'PAID' });
    await pay('paid', '2024-12-31', '50000.00');
    const wrong = await pay('paid', '2024-12-31', '1.00');
    const rev = await env.gql('finance', `mutation($input: JournalEntryReverseInput!) { journalEntryReverse(input: $input) { errors { code } } }`, {
      input: { entryId: wrong.entry.id, reason: '重复入账', idempotencyKey: key('rev') },
    });
    expect(rev.data.journalEntryReverse.errors).toEqual([]);
    // No contract at all; and a public-welfare asset.
    assets.none = (await ownedAsset(env)).id;
    assets.road = (await ownedAsset(env, undefined, { name: '产业路', class: 'PUBLIC_WELFARE', subType: 'ROAD', quantity: 2, unit: '公里' })).id;
  });
  afterAll(() => env.close());

  it('compares a full year: rent 50 000 outweighs the 36 000 guarantee; received 40 000', async () => {
    expect(await vs('full', 2024)).toMatchObject({
      asset: { id: assets.full },
      year: 2024,
      daysInYear: 366,
      daysInForce: 366,
      received: '40000.00',
      rentDue: '50000.00',
      guaranteedReturn: '36000.00',
      expected: '50000.00',
      shortfall: '10000.00',
      terms: [{ contract: { contractNo: 'FULL' }, version: 1, fromOn: '2024-01-01', toOn: '2024-12-31', days: 366, annualRent: '50000.00', guaranteedRateBp: 600, annualGuarantee: '36000.00' }],
    });
    expect(await vs('full', 2023)).toMatchObject({ received: '50000.00', expected: '50000.00', shortfall: '0.00' });
  });

  it('pro-rates a contract that starts mid-year by its days in force', async () => {
    // 100 000 × 184/366 = 50 273.224 → 50 273.22; 48 000 × 184/366 = 24 131.147 → 24 131.15.
    expect(await vs('partial', 2024)).toMatchObject({
      daysInForce: 184,
      received: '30000.00',
      rentDue: '50273.22',
      guaranteedReturn: '24131.15',
      expected: '50273.22',
      shortfall: '20273.22',
      terms: [{ fromOn: '2024-07-01', toOn: '2024-12-31', days: 184 }],
    });
    expect(await vs('partial', 2023)).toMatchObject({ daysInForce: 0, rentDue: '0.00', expected: '0.00', shortfall: '0.00', terms: [] });
  });

  it('applies each version for its own days: an amended guarantee that outweighs the rent', async () => {
    // Guarantee (36 000 × 181 + 90 000 × 184) / 365 = 63 221.917… → 63 221.92; rent stays 50 000.
    expect(await vs('amended', 2025)).toMatchObject({
      daysInYear: 365,
      rentDue: '50000.00',
      guaranteedReturn: '63221.92',
      expected: '63221.92',
      received: '63221.92',
      shortfall: '0.00',
      terms: [
        { version: 1, fromOn: '2025-01-01', toOn: '2025-06-30', days: 181, guaranteedRateBp: 600 },
        { version: 2, fromOn: '2025-07-01', toOn: '2025-12-31', days: 184, guaranteedRateBp: 1500, annualGuarantee: '90000.00' },
      ],
    });
  });

  it('stops a terminated contract the day before its termination', async () => {
    // 90 000 × 334/366 = 82 131.147 → 82 131.15.
    expect(await vs('terminated', 2024)).toMatchObject({ daysInForce: 334, rentDue: '82131.15', received: '45000.00', shortfall: '37131.15', terms: [{ toOn: '2024-11-29' }] });
    expect(await vs('terminated', 2025)).toMatchObject({ daysInForce: 0, shortfall: '0.00' });
  });

  it('follows a renewal at a new rent, and a contract replaced by another', async () => {
    // (50 000 × 182 + 80 000 × 184) / 366 = 65 081.967 → 65 081.97.
    expect(await vs('renewed', 2024)).toMatchObject({ rentDue: '65081.97', received: '65081.97', shortfall: '0.00', terms: [{ version: 1, days: 182 }, { version: 2, days: 184, annualRent: '80000.00' }] });
    // (40 000 × 181 + 60 000 × 184) / 365 = 50 082.191 → 50 082.19.
    expect(await vs('replaced', 2023)).toMatchObject({
      rentDue: '50082.19',
      shortfall: '50082.19',
      terms: [{ contract: { contractNo: 'OLD' }, days: 181 }, { contract: { contractNo: 'NEW' }, days: 184 }],
    });
  });

  it('leaves reversed receipts out, and expects nothing without a contract', async () => {
    expect(await vs('paid', 2024)).toMatchObject({ received: '50000.00', shortfall: '0.00' });
    expect(await vs('none', 2024)).toMatchObject({ expected: '0.00', shortfall: '0.00', terms: [] });
  });

  it('is null for non-operating or invisible assets; refuses an absurd year', async () => {
    expect(await vs('road', 2024)).toBeNull();
    expect(await vs('full', 2024, 'otherClerk')).toBeNull();
    expect(await vs('full', 2024, 'clerk')).toMatchObject({ shortfall: '10000.00' });
    const body = await env.gql('finance', VS, { id: assets.full, year: 20240 });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('lists the county\'s shortfalls of a year, by asset, in pages', async () => {
    const Q = `query($year: Int!, $after: String) { incomeShortfalls(regionCode: "511922000000", year: $year, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { asset { id } shortfall } } }`;
    const seen: any[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const body: any = await env.gql('finance', Q, { year: 2024, after });
      const page: any = body.data.incomeShortfalls;
      total = page.totalCount;
      seen.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    // Paid in full (renewed, paid) and without a contract (none) are not listed.
    expect(total).toBe(5);
    expect(seen).toEqual([
      { asset: { id: assets.full }, shortfall: '10000.00' },
      { asset: { id: assets.partial }, shortfall: '20273.22' },
      { asset: { id: assets.amended }, shortfall: '50000.00' },
      { asset: { id: assets.terminated }, shortfall: '37131.15' },
      { asset: { id: assets.replaced }, shortfall: '60000.00' },
    ]);
    const y2023 = await env.gql('reviewer', `{ incomeShortfalls(year: 2023, first: 100) { nodes { asset { id } shortfall } } }`);
    expect(y2023.data.incomeShortfalls.nodes).toContainEqual({ asset: { id: assets.replaced }, shortfall: '50082.19' });
    expect(y2023.data.incomeShortfalls.nodes.map((n: any) => n.asset.id)).not.toContain(assets.full); // paid 50 000 in 2023
    expect(y2023.data.incomeShortfalls.nodes.map((n: any) => n.asset.id)).not.toContain(assets.partial); // not yet under contract
    // Outside the scope: nothing.
    const jiange = await env.gql('jiangeFinance', `{ incomeShortfalls(year: 2024) { totalCount } }`);
    expect(jiange.data.incomeShortfalls.totalCount).toBe(0);
    const wider = await env.gql('otherClerk', `{ incomeShortfalls(regionCode: "511922000000", year: 2024) { totalCount } }`);
    expect(wider.data.incomeShortfalls.totalCount).toBe(0);
  });

  it('answers a county list with a constant number of queries', async () => {
    const q = `{ incomeShortfalls(year: 2024, first: 50) { nodes { asset { name village { name } } shortfall terms { contract { contractNo } } } } }`;
    const one = await countQueries(env.db, () => env.gql('finance', q));
    for (let i = 0; i < 3; i++) {
      const a = (await ownedAsset(env)).id;
      await lease(env, a, payer, { contractNo: `MORE-${i}` });
    }
    const more = await countQueries(env.db, () => env.gql('finance', q));
    expect((more.result as any).data.incomeShortfalls.nodes.length).toBe(8);
    expect(more.queries).toBe(one.queries);
  });

});
