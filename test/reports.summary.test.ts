/**
 * Register roll-ups (issue 14): the children of a region add up exactly to the region, on any date, for
 * random registers (fast-check); the SQL depreciation equals the pure rule to the fen; disposed assets leave
 * the live totals on their disposal date; depreciation rules are set by county finance only.
 */
import fc from 'fast-check';
import { setup, TestEnv, count, snapshot } from './helpers';
import * as assetsRepo from '../src/modules/assets/assets.repository';
import * as projectsRepo from '../src/modules/projects/projects.repository';
import { accumulatedDepreciationFen, monthsDepreciated } from '../src/modules/assets/assets.depreciation';
import { defaultRule } from '../src/modules/policy/policy.depreciation';
import { registerSummary } from '../src/modules/reports/reports.service';
import type { AssetClass, AssetStatus, AssetSubType } from '../src/modules/assets/assets.types';
import { SUB_TYPES_BY_CLASS } from '../src/modules/assets/assets.types';
import { V } from '../seeds/demo-data';
import { fixedClock } from '../src/shared/clock';
import type { SummaryDimension } from '../src/modules/reports/reports.types';

let env: TestEnv;
let projectId: number;
beforeAll(async () => {
  env = await setup();
  projectId = await projectsRepo.insert(
    env.db,
    { name: '随机项目', year: 2019, implementingUnit: '南江县农业农村局', regionCode: '511922000000', countyCode: '511922000000', totalFen: 1, createdAt: env.clock.now() },
    [{ source: 'CENTRAL_TRANSITION', level: null, amountFen: 1 } as any],
  );
});
afterAll(() => env.close());

const VILLAGES = [V.chaping, V.jintai, V.qinggang, V.hongyan];
const SOURCES = ['CENTRAL_TRANSITION', 'PROVINCIAL_TRANSITION', 'EAST_WEST_COOPERATION', 'VILLAGE_SELF_FUNDED'] as const;

interface Gen {
  village: string;
  cls: AssetClass;
  subIdx: number;
  valueFen: number;
  split: number;
  acceptedOn: string;
  bookedAfterDays: number | null;
  disposedOn: string | null;
}

const date = (min: number, max: number) =>
  fc.integer({ min, max }).map((d) => new Date(Date.UTC(2015, 0, 1) + d * 86400000).toISOString().slice(0, 10));

const genAsset: fc.Arbitrary<Gen> = fc.record({
  village: fc.constantFrom(...VILLAGES),
  cls: fc.constantFrom<AssetClass>('OPERATING', 'PUBLIC_WELFARE', 'HOUSEHOLD'),
  subIdx: fc.nat(10),
  valueFen: fc.integer({ min: 1, max: 5_000_000_000 }),
  split: fc.integer({ min: 0, max: 100 }),
  acceptedOn: date(0, 3000),
  bookedAfterDays: fc.option(fc.integer({ min: 0, max: 400 })),
  disposedOn: fc.option(date(3001, 4000)),
});

interface Inserted { id: number; village: string; subType: AssetSubType; valueFen: number; bookedOn: string | null; acceptedOn: string; disposedOn: string | null }
const all: Inserted[] = [];
let seq = 0;

async function insert(g: Gen): Promise<void> {
  const subs = SUB_TYPES_BY_CLASS[g.cls];
  const subType = subs[g.subIdx % subs.length] as AssetSubType;
  const bookedOn = g.bookedAfterDays === null ? null : new Date(Date.parse(g.acceptedOn) + g.bookedAfterDays * 86400000).toISOString().slice(0, 10);
  const status: AssetStatus = g.disposedOn ? 'DISPOSED' : 'CONFIRMED';
  const id = await assetsRepo.insert(env.db, {
    countyCode: '511922000000', code: `R-${++seq}`, name: `随机资产${seq}`, class: g.cls, subType, quantity: 1, unit: '项', villageCode: g.village,
    location: null, projectId, year: Number(g.acceptedOn.slice(0, 4)), originalValueFen: g.valueFen, completedOn: null, acceptedOn: g.acceptedOn,
    handedOverOn: null, bookedOn, status, createdAt: env.clock.now(), updatedAt: env.clock.now(),
  });
  const first = Math.floor((g.valueFen * g.split) / 100);
  const lines = [{ source: SOURCES[seq % 4], level: null, amountFen: first }, { source: SOURCES[(seq + 1) % 4], level: null, amountFen: g.valueFen - first }].filter((l) => l.amountFen > 0);
  await assetsRepo.insertFundingLines(env.db, id, lines as any);
  const ev = (action: string, from: AssetStatus | null, to: AssetStatus, on: string) =>
    assetsRepo.insertEvent(env.db, { assetId: id, action: action as any, fromStatus: from, toStatus: to, effectiveOn: on, reason: null, payload: {}, actorUserId: env.userIds.admin, recordedAt: env.clock.now() });
  await ev('REGISTER', null, 'REGISTERED', env.clock.today());
  await ev('RIGHTS_CONFIRM', 'REGISTERED', 'CONFIRMED', g.acceptedOn);
  if (g.disposedOn) await ev('DISPOSE', 'CONFIRMED', 'DISPOSED', g.disposedOn);
  all.push({ id, village: g.village, subType, valueFen: g.valueFen, bookedOn, acceptedOn: g.acceptedOn, disposedOn: g.disposedOn });
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe('registerSummary', () => {
  it('children add up exactly to their parent, and the SQL depreciation equals the pure rule, over random registers', async () => {
    const finance = env.svc('finance');
    await fc.assert(
      fc.asyncProperty(fc.array(genAsset, { minLength: 1, maxLength: 6 }), date(0, 4200), async (gens, asOf) => {
        for (const g of gens) await insert(g);
        const county = (await registerSummary(finance, { regionCode: '511922000000', asOf, groupBy: ['CHILD_REGION'] }))!;
        const townships = await Promise.all(['511922105000', '511922102000'].map((t) => registerSummary(finance, { regionCode: t, asOf, groupBy: ['CHILD_REGION', 'CLASS'] })));
        const villages = await Promise.all(VILLAGES.map((v) => registerSummary(finance, { regionCode: v, asOf })));
        for (const field of ['assetCount', 'originalValueFen', 'accumulatedDepreciationFen', 'bookValueFen', 'disposedCount', 'disposedOriginalValueFen'] as const) {
          expect(sum(county.rows.map((r) => r[field]))).toBe(county.total[field]);
          expect(sum(townships.map((t) => t!.total[field]))).toBe(county.total[field]);
          for (const t of townships) expect(sum(t!.rows.map((r) => r[field]))).toBe(t!.total[field]);
          expect(sum(villages.map((v) => v!.total[field]))).toBe(county.total[field]);
        }
        // Funding by source adds up to original value.
        expect(sum(county.total.fundingBySource.map((f) => f.amountFen))).toBe(county.total.originalValueFen);
        // The reference: the pure rule over the inserted assets.
        const onRegister = all.filter((a) => a.acceptedOn <= asOf);
        const live = onRegister.filter((a) => !a.disposedOn || a.disposedOn > asOf);
        expect(county.total.assetCount).toBe(live.length);
        expect(county.total.originalValueFen).toBe(sum(live.map((a) => a.valueFen)));
        expect(county.total.disposedCount).toBe(onRegister.length - live.length);
        expect(county.total.accumulatedDepreciationFen).toBe(sum(live.map((a) => accumulatedDepreciationFen(a.valueFen, a.bookedOn, asOf, defaultRule(a.subType)))));
      }),
      { numRuns: 12 },
    );
  });

  it("today's answer through the status column equals the answer through the events (the fast path)", async () => {
    const today = env.clock.today();
    const later = { ...env.svc('finance'), clock: fixedClock('2026-11-23T02:00:00.000Z') };
    for (const groupBy of [['CLASS', 'FUND_SOURCE'], ['CHILD_REGION', 'STATUS'], ['SUB_TYPE'], []] as SummaryDimension[][]) {
      const fast = await registerSummary(env.svc('finance'), { regionCode: '511922000000', groupBy });
      expect(fast!.asOf).toBe(today);
      expect(fast).toEqual(await registerSummary(later, { regionCode: '511922000000', asOf: today, groupBy }));
    }
  });

  it('the status on a date leaves every observation out: a flag dated after a back-dated step does not win', async () => {
    // A revitalisation flag (an observation, stamped with the status of the day it was entered) dated 11-20,
    // then a hand-over entered later but back-dated to 11-10: the asset is HANDED_OVER, as its column says.
    const id = await assetsRepo.insert(env.db, {
      countyCode: '511922000000', code: `R-OBS-${++seq}`, name: '观察顺序', class: 'OPERATING', subType: 'MACHINERY', quantity: 1, unit: '台', villageCode: V.chaping,
      location: null, projectId, year: 2021, originalValueFen: 100, completedOn: null, acceptedOn: '2021-05-01',
      handedOverOn: '2026-11-10', bookedOn: null, status: 'HANDED_OVER', createdAt: env.clock.now(), updatedAt: env.clock.now(),
    });
    await assetsRepo.insertFundingLines(env.db, id, [{ source: 'CENTRAL_TRANSITION', level: null, amountFen: 100 }] as any);
    const ev = (action: string, from: AssetStatus, to: AssetStatus, on: string) =>
      assetsRepo.insertEvent(env.db, { assetId: id, action: action as any, fromStatus: from, toStatus: to, effectiveOn: on, reason: null, payload: {}, actorUserId: env.userIds.admin, recordedAt: env.clock.now() });
    await ev('CONFIRM_RIGHTS', 'REGISTERED', 'CONFIRMED', '2021-06-01');
    await ev('IDLE_FLAG', 'CONFIRMED', 'CONFIRMED', '2026-11-20');
    await ev('HAND_OVER', 'CONFIRMED', 'HANDED_OVER', '2026-11-10');
    expect((await assetsRepo.statusesOn(env.db, [id], env.clock.today())).get(id)).toBe('HANDED_OVER');
    expect((await assetsRepo.statusesOn(env.db, [id], '2026-11-09')).get(id)).toBe('CONFIRMED');
    all.push({ id, village: V.chaping, subType: 'MACHINERY', valueFen: 100, bookedOn: null, acceptedOn: '2021-05-01', disposedOn: null });
  });

  it('groups by fund source and rights level: source rows sum funding lines', async () => {
    const s = (await registerSummary(env.svc('finance'), { regionCode: '511922000000', asOf: env.clock.today(), groupBy: ['FUND_SOURCE', 'RIGHTS_LEVEL'] }))!;
    expect(sum(s.rows.map((r) => r.originalValueFen))).toBe(s.total.originalValueFen);
    expect(new Set(s.rows.map((r) => r.key.rightsLevel))).toEqual(new Set(['UNCONFIRMED']));
    // A group whose assets are all disposed has no live funding.
    for (const r of s.rows) expect(r.fundingBySource.map((f) => f.source)).toEqual(r.assetCount ? [r.key.fundSource] : []);
  });
});

describe('depreciation rule (hand-checked)', () => {
  const factory = { subType: 'PROCESSING_FACILITY' as const, lifeMonths: 240, residualBp: 500, depreciated: true };
  it('starts the month after booking, counts complete months, and floors to the fen', () => {
    // Booked 2021-12-01: December not charged; as of 2022-01-30 January is not complete; as of 2022-01-31 it is.
    expect(monthsDepreciated('2021-12-01', '2021-12-31', 240)).toBe(0);
    expect(monthsDepreciated('2021-12-01', '2022-01-30', 240)).toBe(0);
    expect(monthsDepreciated('2021-12-01', '2022-01-31', 240)).toBe(1);
    expect(monthsDepreciated('2021-12-01', '2026-11-22', 240)).toBe(58);
    // 600 000.00 yuan × 95% ÷ 240 = 2 375.00 yuan a month; 58 months = 137 750.00 yuan.
    expect(accumulatedDepreciationFen(60_000_000, '2021-12-01', '2026-11-22', factory)).toBe(13_775_000);
    // An odd value: 100 001 fen × 9500 × 1 ÷ 2 400 000 = 395.83… → 395 fen.
    expect(accumulatedDepreciationFen(100_001, '2021-12-01', '2022-01-31', factory)).toBe(395);
    // After the whole life: exactly original − residual.
    expect(accumulatedDepreciationFen(100_001, '2000-01-01', '2026-11-22', factory)).toBe(95_000); // floor(100 001 × 95%)
    expect(accumulatedDepreciationFen(100_001, null, '2026-11-22', factory)).toBe(0);
    expect(accumulatedDepreciationFen(100_001, '2000-01-01', '2026-11-22', { ...factory, depreciated: false })).toBe(0);
  });
  it('defaults: operating buildings 20 years, machinery 10, equity and public-welfare not depreciated', () => {
    expect(defaultRule('PROCESSING_FACILITY')).toMatchObject({ lifeMonths: 240, residualBp: 500, depreciated: true });
    expect(defaultRule('MACHINERY')).toMatchObject({ lifeMonths: 120, depreciated: true });
    expect(defaultRule('EQUITY_STAKE').depreciated).toBe(false);
    expect(defaultRule('ROAD').depreciated).toBe(false);
    expect(defaultRule('LIVESTOCK').depreciated).toBe(false);
  });
});

const RULE_SET = `mutation($input: DepreciationRuleSetInput!) { depreciationRuleSet(input: $input) { rule { subType lifeMonths residualBp depreciated isDefault } errors { code field } } }`;
describe('depreciationRuleSet', () => {
  const input = { countyCode: '511922000000', subType: 'ROAD', lifeMonths: 360, residualBp: 0, depreciated: true };
  it('county finance sets a rule (audited); the county reads it', async () => {
    const body = await env.gql('finance', RULE_SET, { input });
    expect(body.data.depreciationRuleSet).toEqual({ rule: { subType: 'ROAD', lifeMonths: 360, residualBp: 0, depreciated: true, isDefault: false }, errors: [] });
    expect(await count(env.db, 'audit_log', { entity_type: 'DepreciationRule' })).toBe(1);
    const rules = (await env.gql('planner', `{ depreciationRules(countyCode: "511922000000") { subType lifeMonths depreciated isDefault } }`)).data.depreciationRules;
    expect(rules.find((r: any) => r.subType === 'ROAD')).toEqual({ subType: 'ROAD', lifeMonths: 360, depreciated: true, isDefault: false });
    expect(rules.find((r: any) => r.subType === 'SCHOOL')).toEqual({ subType: 'SCHOOL', lifeMonths: 240, depreciated: false, isDefault: true });
    // The roll-up applies the county's own rule (roads now depreciated over 30 years, no residual), to the fen.
    await insert({ village: V.chaping, cls: 'PUBLIC_WELFARE', subIdx: 0, valueFen: 36_000_001, split: 100, acceptedOn: '2020-01-01', bookedAfterDays: 10, disposedOn: null });
    const asOf = env.clock.today();
    const s = (await registerSummary(env.svc('finance'), { regionCode: '511922000000', asOf }))!;
    const ruleOf = (subType: AssetSubType) => (subType === 'ROAD' ? { subType, lifeMonths: 360, residualBp: 0, depreciated: true } : defaultRule(subType));
    const live = all.filter((a) => a.acceptedOn <= asOf && (!a.disposedOn || a.disposedOn > asOf));
    expect(s.total.accumulatedDepreciationFen).toBe(sum(live.map((a) => accumulatedDepreciationFen(a.valueFen, a.bookedOn, asOf, ruleOf(a.subType)))));
    // Another county keeps the defaults: the province's figure is the sum of both.
    const province = (await registerSummary(env.svc('admin'), { regionCode: '510000000000', asOf, groupBy: ['CHILD_REGION'] }))!;
    expect(province.total.accumulatedDepreciationFen).toBe(s.total.accumulatedDepreciationFen);
  });
  it.each(['clerk', 'reviewer', 'planner', 'jiangeFinance'] as const)('%s is refused and nothing is written', async (who) => {
    const before = await snapshot(env.db, ['depreciation_rules', 'audit_log']);
    const body = await env.gql(who, RULE_SET, { input: { ...input, lifeMonths: 480 } });
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await snapshot(env.db, ['depreciation_rules', 'audit_log'])).toEqual(before);
  });
  it('rejects a life under a year with nothing written', async () => {
    const before = await snapshot(env.db, ['depreciation_rules', 'audit_log']);
    const body = await env.gql('finance', RULE_SET, { input: { ...input, lifeMonths: 6 } });
    expect(body.data.depreciationRuleSet.errors[0].field).toEqual(['input', 'lifeMonths']);
    expect(await snapshot(env.db, ['depreciation_rules', 'audit_log'])).toEqual(before);
  });
});
