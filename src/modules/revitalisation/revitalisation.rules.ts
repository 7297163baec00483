/**
 * Pure rules of revitalisation: idle and low-efficiency detection and the 盘活率 formula. They compute and
 * never write; the service gathers the facts from the assets, contracts, income and upkeep modules.
 */
import { addMonths } from '../../shared/dates';
import { isHeldOn, lastHeldDay } from '../assets/assets.holdDates';
import type { Asset, AssetEvent, AssetHold } from '../assets/assets.types';
import type { IncomeVsContract } from '../income/income.types';
import type { ActivityKind, BenefitLinkage, IdleFinding, LowEfficiencyFinding, LowEfficiencyReason, RevitalisationRate } from './revitalisation.types';

/** Lifecycle steps that record the asset being put to use. */
export const USE_ACTIONS: readonly string[] = ['START_OPERATION', 'PUT_IN_USE', 'REVITALISE'];

export interface IdleFacts {
  asset: Asset;
  lastIncomeOn: string | null;
  holds: readonly AssetHold[];
  events: readonly AssetEvent[];
  upkeepDoneOn: readonly string[];
}

/** Whole months from `from` to `to` (the largest m with from + m months ≤ to). */
export function wholeMonths(from: string, to: string): number {
  let m = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
  while (m > 0 && addMonths(from, m) > to) m--;
  while (addMonths(from, m + 1) <= to) m++;
  return Math.max(0, m);
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * 闲置 An asset is idle on `asOf` when no operation contract holds it that day and its latest activity —
 * income received, a day under an operation contract, a recorded use (put into operation or use,
 * revitalised), upkeep done, or else its handover (acceptance, completion, registration) — lies at least
 * `months` whole months back: asOf ≥ lastActivity + months. Facts dated after asOf are ignored.
 */
export function idleFinding(f: IdleFacts, months: number, asOf: string): IdleFinding | null {
  const { asset } = f;
  const contracts = f.holds.filter((h) => h.kind === 'CONTRACT' && h.startOn <= asOf);
  if (contracts.some((h) => isHeldOn(h, asOf))) return null;
  let lastContractDayOn: string | null = null;
  for (const h of contracts) {
    const last = lastHeldDay(h);
    if (last !== null && last >= h.startOn) lastContractDayOn = later(lastContractDayOn, last < asOf ? last : asOf);
  }
  let lastUseOn: string | null = null;
  for (const e of f.events) if (USE_ACTIONS.includes(e.action) && e.effectiveOn <= asOf) lastUseOn = later(lastUseOn, e.effectiveOn);
  let lastUpkeepOn: string | null = null;
  for (const d of f.upkeepDoneOn) if (d <= asOf) lastUpkeepOn = later(lastUpkeepOn, d);
  const lastIncomeOn = f.lastIncomeOn && f.lastIncomeOn <= asOf ? f.lastIncomeOn : null;

  const baseline: [ActivityKind, string | null][] = [
    ['HANDOVER', asset.handedOverOn],
    ['ACCEPTANCE', asset.acceptedOn],
    ['COMPLETION', asset.completedOn],
    ['REGISTRATION', asset.createdAt.slice(0, 10)],
  ];
  const [baseKind, baseOn] = baseline.find(([, d]) => d !== null) as [ActivityKind, string];
  if (baseOn > asOf) return null; // not yet there on asOf
  const candidates: [ActivityKind, string | null][] = [
    ['INCOME', lastIncomeOn],
    ['CONTRACT', lastContractDayOn],
    ['USE', lastUseOn],
    ['UPKEEP', lastUpkeepOn],
    [baseKind, baseOn],
  ];
  let lastActivityKind: ActivityKind = baseKind;
  let lastActivityOn = baseOn;
  for (const [k, d] of candidates) {
    if (d !== null && d > lastActivityOn) {
      lastActivityOn = d;
      lastActivityKind = k;
    }
  }
  const idleFromOn = addMonths(lastActivityOn, months);
  if (idleFromOn > asOf) return null;
  return {
    assetId: asset.id,
    villageCode: asset.villageCode,
    asOf,
    thresholdMonths: months,
    lastActivityOn,
    lastActivityKind,
    lastIncomeOn,
    lastContractDayOn,
    lastUseOn: later(lastUseOn, lastUpkeepOn),
    monthsInactive: wholeMonths(lastActivityOn, asOf),
    idleFromOn,
    originalValueFen: asset.originalValueFen,
  };
}

/** value × bp × days ÷ (10000 × yearDays), rounded half up to the fen; exact (BigInt). */
export function benchmarkFen(originalValueFen: number, bp: number, days: number, yearDays: number): number {
  const n = BigInt(originalValueFen) * BigInt(bp) * BigInt(days);
  const d = 10000n * BigInt(yearDays);
  const q = n / d;
  return Number((n % d) * 2n >= d ? q + 1n : q);
}

/**
 * 低效 An operating asset run under a contract for part or all of `year` is low-efficiency when the income
 * received that year is below its contract's guaranteed return for the days in force, or below the county
 * benchmark (original value × benchmark rate, pro-rated by the same days). Recorded 联农带农 figures excuse it
 * when the year's formerly-poor/monitored workers reach `excuseWorkers` (0: never).
 */
export function lowEfficiencyFinding(
  asset: Asset,
  vs: IncomeVsContract,
  policy: { lowEfficiencyBenchmarkBp: number; benefitExcuseWorkers: number },
  benefit: BenefitLinkage | null,
): LowEfficiencyFinding | null {
  if (vs.daysInForce === 0) return null;
  const bench = benchmarkFen(asset.originalValueFen, policy.lowEfficiencyBenchmarkBp, vs.daysInForce, vs.daysInYear);
  const reasons: LowEfficiencyReason[] = [];
  if (vs.guaranteedReturnFen > 0 && vs.receivedFen < vs.guaranteedReturnFen) reasons.push('BELOW_GUARANTEE');
  if (vs.receivedFen < bench) reasons.push('BELOW_BENCHMARK');
  if (!reasons.length) return null;
  const excused = policy.benefitExcuseWorkers > 0 && benefit !== null && benefit.poorWorkers >= policy.benefitExcuseWorkers;
  return {
    assetId: asset.id,
    villageCode: asset.villageCode,
    year: vs.year,
    daysInForce: vs.daysInForce,
    daysInYear: vs.daysInYear,
    receivedFen: vs.receivedFen,
    guaranteedReturnFen: vs.guaranteedReturnFen,
    benchmarkBp: policy.lowEfficiencyBenchmarkBp,
    benchmarkFen: bench,
    shortfallFen: Math.max(vs.guaranteedReturnFen, bench) - vs.receivedFen,
    reasons,
    poorWorkers: benefit?.poorWorkers ?? null,
    poorWorkerEarningsFen: benefit?.poorWorkerEarningsFen ?? null,
    excused,
    excuseWorkers: policy.benefitExcuseWorkers,
    originalValueFen: asset.originalValueFen,
  };
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * 盘活率 = (revitalised value ÷ value to revitalise + revitalised count ÷ count to revitalise) ÷ 2
 * (brief §8, [S31]), as the exact fraction (rv·tc + rc·tv) ÷ (2·tv·tc), reduced, and in basis points rounded
 * half up. Null with nothing to revitalise.
 */
export function rateOf(
  c: Pick<RevitalisationRate, 'toRevitaliseCount' | 'toRevitaliseValueFen' | 'revitalisedCount' | 'revitalisedValueFen'>,
): Pick<RevitalisationRate, 'ratioNumerator' | 'ratioDenominator' | 'rateBp'> {
  const tc = BigInt(c.toRevitaliseCount);
  const tv = BigInt(c.toRevitaliseValueFen);
  if (tc === 0n || tv === 0n) return { ratioNumerator: null, ratioDenominator: null, rateBp: null };
  const num = BigInt(c.revitalisedValueFen) * tc + BigInt(c.revitalisedCount) * tv;
  const den = 2n * tv * tc;
  const g = gcd(num, den) || 1n;
  const scaled = num * 10000n;
  const q = scaled / den;
  const bp = (scaled % den) * 2n >= den ? q + 1n : q;
  return { ratioNumerator: (num / g).toString(), ratioDenominator: (den / g).toString(), rateBp: Number(bp) };
}
