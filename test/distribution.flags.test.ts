import fc from 'fast-check';
import { setup, TestEnv, snapshot, countQueries } from './helpers';
import { CREATE, PAY, fundVillage, households, ok, planAt, planInput } from './distribution.helpers';
import { computeLines, splitByWeight } from '../src/modules/distribution/distribution.allocation';
import { allocate } from '../src/modules/journal/allocation';
import { oldestWaitingIncome } from '../src/modules/distribution/distribution.flags';
import { toCsv } from '../src/modules/distribution/distribution.export';
import { V } from '../seeds/demo-data';

const FLAGS = `query($id: ID!) { distributionPlan(id: $id) { flags { code message } } }`;
const REGION_FLAGS = `query($r: String!) { distributionFlags(regionCode: $r) { code message plan { id } village { name } } }`;

describe('allocation properties (fast-check)', () => {
  const lineArb = fc.record({
    basis: fc.constantFrom('FIXED' as const, 'PERCENT' as const),
    fixedFen: fc.integer({ min: 1, max: 1_000_000 }),
    percentBp: fc.integer({ min: 1, max: 3000 }),
    weights: fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 0, maxLength: 20 }),
  });
  const planArb = fc.record({ total: fc.integer({ min: 1, max: 2 ** 40 }), lines: fc.array(lineArb, { minLength: 1, maxLength: 6 }) });

  const build = (total: number, lines: any[]) => {
    // Keep the generated plan feasible: fixed lines inside the total, a remainder line to absorb the rest.
    let fixedLeft = total;
    const specs = lines.map((l: any) => {
      if (l.basis === 'FIXED') {
        const amount = Math.min(l.fixedFen, Math.max(1, Math.floor(fixedLeft / 4)));
        fixedLeft -= amount;
        return { type: 'REWARD_GRANT' as const, basis: 'FIXED' as const, fixedFen: amount, description: 'x', recipients: l.weights.map((w: number, i: number) => ({ householdId: i + 1, weight: w })) };
      }
      return { type: 'REWARD_GRANT' as const, basis: 'PERCENT' as const, percentBp: l.percentBp, description: 'x', recipients: l.weights.map((w: number, i: number) => ({ householdId: i + 1, weight: w })) };
    });
    return [...specs, { type: 'COLLECTIVE_RETENTION' as const, basis: 'REMAINDER' as const, description: 'r', recipients: [] }];
  };

  it('sums exactly, never negative, deterministic', () => {
    let computed = 0;
    fc.assert(
      fc.property(planArb, ({ total, lines }) => {
        const specs = build(total, lines);
        let a;
        try {
          a = computeLines(total, specs);
        } catch (e: any) {
          // Refused only when percentages exceed what the fixed lines left, or a line rounds to zero fen.
          expect(['PLAN_NOT_BALANCED', 'INVALID_AMOUNT']).toContain(e.code);
          return;
        }
        expect(a.reduce((s, l) => s + l.amountFen, 0)).toBe(total);
        for (const l of a) {
          expect(l.amountFen).toBeGreaterThanOrEqual(0);
          if (l.recipients.length) expect(l.recipients.reduce((s, r) => s + r.amountFen, 0)).toBe(l.amountFen);
          for (const r of l.recipients) expect(r.amountFen).toBeGreaterThanOrEqual(0);
        }
        expect(computeLines(total, specs)).toEqual(a);
        computed++;
      }),
      { numRuns: 300 },
    );
    expect(computed).toBeGreaterThan(150); // the property was exercised, not mostly refused
  });

  it("splits in plain numbers exactly as the journal's allocate does (ties to the earlier, near and past 2^53)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 2 ** 50, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 50 })),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(1, 3, 7), fc.integer({ min: 2 ** 30, max: 2 ** 45 })), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          if (!weights.some((w) => w > 0)) return;
          expect(splitByWeight(total, weights)).toEqual(allocate(total, weights));
        },
      ),
      { numRuns: 1000 },
    );
    // Equal weights: the fen left over go to the earliest recipients.
    expect(splitByWeight(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitByWeight(2, [1, 1, 1])).toEqual([1, 1, 0]);
  });

  it('is monotone in weights: a heavier recipient never gets less', () => {
    fc.assert(
      // At least a fen per unit of weight: a line too small to give every recipient a fen is refused at drafting
      // (the simulator's finding), which the balance property above covers.
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 2, maxLength: 30 }), (extra, weights) => {
        const amount = extra + weights.reduce((s, w) => s + w, 0);
        const [line] = computeLines(amount, [
          { type: 'HOUSEHOLD_DIVIDEND', basis: 'REMAINDER', description: 'x', recipients: weights.map((w, i) => ({ householdId: i + 1, weight: w })) },
        ]);
        for (let i = 0; i < weights.length; i++) {
          for (let j = 0; j < weights.length; j++) {
            if (weights[i] > weights[j]) expect(line.recipients[i].amountFen).toBeGreaterThanOrEqual(line.recipients[j].amountFen);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds the oldest income still waiting, first in first out', () => {
    expect(oldestWaitingIncome([])).toBeNull();
    expect(oldestWaitingIncome([{ effectiveOn: '2023-01-01', amountFen: 100 }, { effectiveOn: '2024-01-01', amountFen: 50 }, { effectiveOn: '2024-02-01', amountFen: -100 }])).toBe('2024-01-01');
    expect(oldestWaitingIncome([{ effectiveOn: '2023-01-01', amountFen: 100 }, { effectiveOn: '2024-02-01', amountFen: -100 }])).toBeNull();
    expect(oldestWaitingIncome([{ effectiveOn: '2023-01-01', amountFen: 100 }, { effectiveOn: '2024-02-01', amountFen: -60 }])).toBe('2023-01-01');
  });
});

describe('flags on plans and villages', () => {
  let env: TestEnv;
  let hs: string[];
  beforeAll(async () => {
    env = await setup();
    await fundVillage(env, V.chaping, 100_000_000);
    hs = await households(env, 4);
  });
  afterAll(() => env.close());

  it('flags an equal per-head split, a high dividend share and low retention', async () => {
    const plan = await ok(env, 'clerk', CREATE, planInput(hs, {
      receipts: [await fundVillage(env, V.chaping, 10_000_000)],
      lines: [
        // Three households: 95 000 yuan does not split evenly, so rounding leaves them a fen apart — still flat.
        { type: 'HOUSEHOLD_DIVIDEND', basis: 'PERCENT', percentBp: 9500, description: '人人有份', recipients: hs.slice(0, 3).map((householdId) => ({ householdId, weight: 1 })) },
        { type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' },
      ],
    }));
    const codes = (await env.gql('finance', FLAGS, { id: plan.plan.id })).data.distributionPlan.flags.map((f: any) => f.code).sort();
    expect(codes).toEqual(['DIVIDEND_SHARE_HIGH', 'FLAT_EQUAL_SPLIT', 'RETENTION_BELOW_MINIMUM']);
  });

  it('lists plans with their lines and flags in a constant number of queries', async () => {
    for (let i = 0; i < 6; i++) await ok(env, 'clerk', CREATE, planInput(hs, { receipts: [await fundVillage(env, V.chaping, 100_000)], lines: [{ type: 'COLLECTIVE_RETENTION', basis: 'REMAINDER', description: '集体积累' }] }));
    const L = `query($n: Int) { distributionPlans(first: $n) { nodes { title lines { amount recipients { amount } } flags { code } } } }`;
    const two = await countQueries(env.db, () => env.gql('finance', L, { n: 2 }));
    const all = await countQueries(env.db, () => env.gql('finance', L, { n: 8 }));
    expect(all.result.data.distributionPlans.nodes.length).toBeGreaterThanOrEqual(7);
    expect(all.queries).toBe(two.queries);
  });

  it('carries no flag on a well-formed plan', async () => {
    const plan = await ok(env, 'clerk', CREATE, planInput(hs, { receipts: [await fundVillage(env, V.chaping, 10_000_000)] }));
    expect((await env.gql('finance', FLAGS, { id: plan.plan.id })).data.distributionPlan.flags).toEqual([]);
  });

  it('flags income waiting longer than the county allows (资金滞留), and a missing results notice', async () => {
    const local = await setup();
    try {
      await fundVillage(local, V.jintai, 5_000_000, '2023-06-30');
      const flags = (await local.gql('finance', REGION_FLAGS, { r: '511922000000' })).data.distributionFlags;
      expect(flags).toEqual([expect.objectContaining({ code: 'FUNDS_IDLE', plan: null, village: { name: '金台村' } })]);
      expect((await local.gql('jiangeFinance', REGION_FLAGS, { r: '511922000000' })).data.distributionFlags).toEqual([]);

      await fundVillage(local, V.chaping, 10_000_000);
      const hh = await households(local, 3);
      const planId = await planAt(local, 'EXECUTED', hh);
      for (const [i, h] of hh.entries()) await ok(local, 'clerk', PAY, { planId, householdId: h, paidOn: '2025-02-05', bankReference: `b${i}`, idempotencyKey: `p${i}` });
      const all = (await local.gql('finance', REGION_FLAGS, { r: '511922000000' })).data.distributionFlags.map((f: any) => f.code).sort();
      expect(all).toEqual(['FUNDS_IDLE', 'RESULTS_NOTICE_MISSING']); // paid 2025-02-05, today 2026-11-22, no results notice
    } finally {
      await local.close();
    }
  });
});

describe('county policy profile', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup();
  });
  afterAll(() => env.close());
  const Q = `{ countyPolicy(countyCode: "511922000000") { noticeDays dividendShareCeilingBp minCollectiveRetentionBp idleFundsMonths isDefault } }`;
  const U = `mutation($input: CountyPolicyUpdateInput!) { countyPolicyUpdate(input: $input) { policy { noticeDays isDefault } errors { code field } } }`;

  it('starts from documented defaults and lets county finance change them, with an audit entry', async () => {
    expect((await env.gql('clerk', Q)).data.countyPolicy).toEqual({ noticeDays: 10, dividendShareCeilingBp: 5000, minCollectiveRetentionBp: 1000, idleFundsMonths: 12, isDefault: true });
    const body = await env.gql('finance', U, { input: { countyCode: '511922000000', noticeDays: 15 } });
    expect(body.data.countyPolicyUpdate).toEqual({ policy: { noticeDays: 15, isDefault: false }, errors: [] });
    expect((await env.db('audit_log').where({ entity_type: 'CountyPolicy', action: 'UPDATE' })).length).toBe(1);
    // The longer notice now applies to new notices.
    await fundVillage(env, V.chaping, 10_000_000);
    const hs = await households(env, 2);
    const planId = await planAt(env, 'RESOLVED', hs, { receipts: [await fundVillage(env, V.chaping, 10_000_000)] });
    const short = await env.gql('clerk', `mutation($input: DistributionNoticeInput!) { distributionNoticePublish(input: $input) { plan { noticeEndOn } errors { code } } }`, {
      input: { planId, startOn: '2025-01-23', endOn: '2025-02-01' },
    });
    expect(short.data.distributionNoticePublish.errors[0].code).toBe('NOTICE_TOO_SHORT');
    const fine = await env.gql('clerk', `mutation($input: DistributionNoticeInput!) { distributionNoticePublish(input: $input) { plan { noticeEndOn } errors { code } } }`, {
      input: { planId, startOn: '2025-01-23' },
    });
    expect(fine.data.distributionNoticePublish.plan.noticeEndOn).toBe('2025-02-06');
  });

  it('refuses other roles and bad numbers, writing nothing', async () => {
    for (const user of ['clerk', 'reviewer', 'planner', 'jiangeFinance'] as const) {
      const before = await snapshot(env.db, ['county_policies', 'audit_log']);
      const body = await env.gql(user, U, { input: { countyCode: '511922000000', noticeDays: 20 } });
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(await snapshot(env.db, ['county_policies', 'audit_log'])).toEqual(before);
    }
    const bad = await env.gql('finance', U, { input: { countyCode: '511922000000', noticeDays: 3 } });
    expect(bad.data.countyPolicyUpdate.errors[0]).toEqual({ code: 'OUT_OF_RANGE', field: ['input', 'noticeDays'] });
    const township = await env.gql('finance', U, { input: { countyCode: '511922105000', noticeDays: 12 } });
    expect(township.data.countyPolicyUpdate.errors[0].code).toBe('INVALID_REGION');
  });
});


describe('CSV export cells', () => {
  it('neutralises text Excel would run as a formula, and quotes separators', () => {
    const csv: string = toCsv([{ name: 's', headers: ['户主姓名', '金额(元)'], rows: [['=HYPERLINK("http://x")', '12.00'], ['张三,李四', 5]] }]);
    const lines = csv.replace('\ufeff', '').split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"")",12.00`);
    expect(lines[2]).toBe('"张三,李四",5');
  });
});
