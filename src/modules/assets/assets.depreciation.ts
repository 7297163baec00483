/**
 * 折旧 Straight-line depreciation and book value (issue 14). The rule, in one place, twice: as a pure function
 * (the asset card, tests) and as a SQL expression (roll-ups aggregate in the database); a property test
 * proves the two agree to the fen.
 *
 * - Depreciation starts the month after the asset is booked (入账; 当月增加的固定资产当月不计提折旧, 从下月起计提)
 *   and a month counts once it is complete: as of a month's last day that month is included, as of any other
 *   day it is not. It stops after `lifeMonths` months. An asset not booked on the date is not depreciated.
 * - Accumulated depreciation after m months = floor(original × (10000 − residualBp) × m ÷ (10000 × lifeMonths)),
 *   computed afresh each time (never a sum of rounded monthly amounts), in integer fen: after the full life it
 *   is exactly original − residual, and book value = original − accumulated.
 * - Sub-types whose rule says `depreciated: false` keep book value = original value.
 */
import type { AssetSubType } from './assets.types';
import { ALL_SUB_TYPES } from './assets.types';

export interface DepreciationTerms {
  subType: AssetSubType;
  lifeMonths: number;
  residualBp: number;
  depreciated: boolean;
}

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

function isMonthEnd(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate() === d;
}

/** The last month index (year × 12 + month − 1) whose depreciation is complete on `asOf`. */
export function completedMonthIndex(asOf: string): number {
  return monthIndex(asOf) - (isMonthEnd(asOf) ? 0 : 1);
}

/** Months of depreciation charged on `asOf` for an asset booked on `bookedOn`. */
export function monthsDepreciated(bookedOn: string | null, asOf: string, lifeMonths: number): number {
  if (!bookedOn || bookedOn > asOf) return 0;
  return Math.max(0, Math.min(lifeMonths, completedMonthIndex(asOf) - monthIndex(bookedOn)));
}

/** 累计折旧 Accumulated depreciation in fen (BigInt arithmetic: exact for any original value). */
export function accumulatedDepreciationFen(amountFen: number, bookedOn: string | null, asOf: string, t: DepreciationTerms): number {
  if (!t.depreciated) return 0;
  const m = monthsDepreciated(bookedOn, asOf, t.lifeMonths);
  return Number((BigInt(amountFen) * BigInt(10000 - t.residualBp) * BigInt(m)) / BigInt(10000 * t.lifeMonths));
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
};

/**
 * The same rule as a SQL expression over `assets.sub_type` and `assets.booked_on` (the alias given), applied to
 * the integer amount column `amountSql` (the original value, or a funding line's amount). Integer arithmetic
 * on both databases (SQLite integers, PostgreSQL bigint), truncating division of non-negative numbers = floor.
 * Only validated integers and enum values are inlined.
 */
export function accumulatedDepreciationSql(amountSql: string, alias: string, asOf: string, rules: DepreciationTerms[]): string {
  const e = int(completedMonthIndex(asOf));
  const booked = `${alias}.booked_on`;
  const months = (life: number) =>
    `(CASE WHEN ${e} - b_idx < 0 THEN 0 WHEN ${e} - b_idx > ${int(life)} THEN ${int(life)} ELSE ${e} - b_idx END)`;
  const arms = rules
    .filter((r) => r.depreciated)
    .map((r) => {
      if (!(ALL_SUB_TYPES as string[]).includes(r.subType)) throw new Error(`unknown sub-type ${r.subType}`);
      return `WHEN '${r.subType}' THEN (${amountSql} * ${int(10000 - r.residualBp)} * ${months(r.lifeMonths)}) / ${int(10000 * r.lifeMonths)}`;
    });
  if (!arms.length) return '0';
  const bIdx = `(CAST(substr(${booked}, 1, 4) AS INTEGER) * 12 + CAST(substr(${booked}, 6, 2) AS INTEGER) - 1)`;
  // b_idx is substituted textually (no lateral aliases in SQL).
  const body = `CASE ${alias}.sub_type ${arms.join(' ')} ELSE 0 END`.split('b_idx').join(bIdx);
  return `(CASE WHEN ${booked} IS NULL OR ${booked} > '${asOf.replace(/[^0-9-]/g, '')}' THEN 0 ELSE ${body} END)`;
}
