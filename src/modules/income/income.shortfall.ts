/**
 * Pure arithmetic of income against contract (收益对比): which contract version was in force on which days
 * of a year, the rent due and guaranteed return pro-rated by those days, and the shortfall. Yearly amounts
 * come from the contracts module (annualFeeFen, guaranteedAnnualReturnFen), so a full year in force owes
 * exactly the contract's own annual figures. Integer fen, BigInt inside, one rounding (half up) per figure.
 */
import { addDays, daysBetween } from '../../shared/dates';
import { annualFeeFen, guaranteedAnnualReturnFen, lastBindingDay } from '../contracts/contracts.terms';
import type { Contract, ContractVersion } from '../contracts/contracts.types';
import type { IncomeVsContract, TermInYear } from './income.types';

export type ContractSpan = Pick<Contract, 'id' | 'contractNo' | 'startOn' | 'endOn' | 'terminatedOn'>;

export function daysInYear(year: number): number {
  return daysBetween(`${year}-01-01`, `${year + 1}-01-01`);
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);

/**
 * The days of `year` on which each version of each contract was in force. A version applies from its
 * effectiveFrom to the day before the next version's (and never past its own end); the last version up to
 * the contract's last binding day (its end, or the day before its termination). Contracts of one asset
 * never bind on the same day, and versions of one contract never overlap, so the days add up.
 */
export function termsInYear(
  contracts: readonly { contract: ContractSpan; versions: readonly ContractVersion[] }[],
  originalValueFen: number,
  year: number,
): TermInYear[] {
  const yearFrom = `${year}-01-01`;
  const yearTo = `${year}-12-31`;
  const out: TermInYear[] = [];
  for (const { contract, versions } of contracts) {
    const binds = { from: contract.startOn, to: lastBindingDay(contract) };
    if (binds.to < binds.from) continue; // terminated before it started: never bound
    const sorted = [...versions].sort((a, b) => a.version - b.version);
    sorted.forEach((v, i) => {
      const next = sorted[i + 1];
      let to = minDate(v.endOn, binds.to);
      if (next) to = minDate(to, addDays(next.effectiveFrom, -1));
      const fromOn = maxDate(maxDate(v.effectiveFrom, binds.from), yearFrom);
      const toOn = minDate(to, yearTo);
      if (toOn < fromOn) return;
      out.push({
        contractId: contract.id,
        contractNo: contract.contractNo,
        version: v.version,
        fromOn,
        toOn,
        days: daysBetween(fromOn, toOn) + 1,
        annualRentFen: annualFeeFen(v.fee, originalValueFen),
        guaranteedRateBp: v.guaranteedRateBp,
        annualGuaranteeFen: guaranteedAnnualReturnFen(v.guaranteedRateBp, originalValueFen) ?? 0,
      });
    });
  }
  return out.sort((a, b) => (a.fromOn < b.fromOn ? -1 : a.fromOn > b.fromOn ? 1 : 0));
}

/** Σ annual × days / daysInYear, rounded half up to the fen (one rounding for the whole year). */
export function prorate(parts: readonly { annualFen: number; days: number }[], yearDays: number): number {
  const numerator = parts.reduce((s, p) => s + BigInt(p.annualFen) * BigInt(p.days), 0n);
  const d = BigInt(yearDays);
  const q = numerator / d;
  return Number((numerator % d) * 2n >= d ? q + 1n : q);
}

/**
 * 收益对比: rent due = Σ yearly rent × days in force / days in the year; guaranteed return (保底收益) the same
 * with the yearly guarantee (original value × rate); expected = the larger of the two; shortfall = what
 * received falls short of expected, never negative.
 */
export function compareWithContract(assetId: number, year: number, terms: TermInYear[], receivedFen: number): IncomeVsContract {
  const yearDays = daysInYear(year);
  const rentDueFen = prorate(terms.map((t) => ({ annualFen: t.annualRentFen, days: t.days })), yearDays);
  const guaranteedReturnFen = prorate(terms.map((t) => ({ annualFen: t.annualGuaranteeFen, days: t.days })), yearDays);
  const expectedFen = Math.max(rentDueFen, guaranteedReturnFen);
  return {
    assetId,
    year,
    daysInYear: yearDays,
    daysInForce: terms.reduce((s, t) => s + t.days, 0),
    receivedFen,
    rentDueFen,
    guaranteedReturnFen,
    expectedFen,
    shortfallFen: Math.max(0, expectedFen - receivedFen),
    terms,
  };
}
