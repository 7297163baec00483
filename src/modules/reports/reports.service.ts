/**
 * Reports (issue 14): the register's roll-ups, the register as of a date, book value and the audit checks.
 * A read module at the top: it reads through the other modules' repositories and services and keeps no rule
 * of theirs (status on a date: assets; rights level: rights; depreciation: assets.depreciation with the
 * county's rules from policy). Out-of-scope regions read as nothing (null), like every read.
 */
import type { ServiceContext } from '../../shared/context';
import { badUserInput } from '../../shared/errors';
import { isValidDate } from '../../shared/dates';
import { sumFen } from '../../shared/money';
import { canRead } from '../auth/auth.service';
import { isRegionCode, levelOf, prefixOf } from '../regions/regions.codes';
import * as assetsRepo from '../assets/assets.repository';
import { accumulatedDepreciationFen, accumulatedDepreciationSql } from '../assets/assets.depreciation';
import type { Asset } from '../assets/assets.types';
import { rightsLevelOnSql } from '../rights/rights.repository';
import { depreciationRulesFor, depreciationRulesUnder } from '../policy/policy.service';
import type { DepreciationRule } from '../policy/policy.depreciation';
import type { FundSource } from '../projects/projects.types';
import * as repo from './reports.repository';
import type { RegisterSummary, SummaryDimension, SummaryKey, SummaryRow } from './reports.types';
import { SUMMARY_DIMENSIONS } from './reports.types';
import type { Finding, FindingCode } from './reports.types';
import { CHECKS } from './reports.checks';

const CHILD_PREFIX = { PROVINCE: 4, CITY: 6, COUNTY: 9, TOWNSHIP: 12, VILLAGE: 12 } as const;

/** The as-of date: today by default; a valid date not after today. */
export function asOfDate(svc: ServiceContext, asOf: string | null | undefined): string {
  const d = asOf ?? svc.clock.today();
  if (!isValidDate(d)) throw badUserInput(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(d)}`);
  if (d > svc.clock.today()) throw badUserInput(`asOf ${d} is in the future (as of today ${svc.clock.today()} at most)`);
  return d;
}

/** Whether the actor may read the region's figures: inside the actor's scope. */
export function regionReadable(svc: ServiceContext, regionCode: string): boolean {
  return isRegionCode(regionCode) && canRead(svc.actor, regionCode);
}

/** The accumulated-depreciation SQL over derived table `r`, each county with its own rules. */
export async function depreciationSqlUnder(svc: ServiceContext, prefix: string, asOf: string, amountSql = 'r.amount_fen'): Promise<string> {
  const { byCounty, defaults } = await depreciationRulesUnder(svc.db, prefix);
  const fallback = accumulatedDepreciationSql(amountSql, 'r', asOf, defaults);
  if (!byCounty.size) return fallback;
  const arms = [...byCounty].map(([county, rules]) => `WHEN substr(r.village_code, 1, 6) = '${county.replace(/\D/g, '')}' THEN ${accumulatedDepreciationSql(amountSql, 'r', asOf, rules)}`);
  return `(CASE ${arms.join(' ')} ELSE ${fallback} END)`;
}

function keyOf(dims: Record<string, unknown>): SummaryKey {
  const k: SummaryKey = {};
  if ('CLASS' in dims) k.class = dims.CLASS as SummaryKey['class'];
  if ('SUB_TYPE' in dims) k.subType = dims.SUB_TYPE as SummaryKey['subType'];
  if ('FUND_SOURCE' in dims) k.fundSource = dims.FUND_SOURCE as FundSource;
  if ('RIGHTS_LEVEL' in dims) k.rightsLevel = dims.RIGHTS_LEVEL as string;
  if ('YEAR' in dims) k.year = dims.YEAR === null ? null : Number(dims.YEAR);
  if ('STATUS' in dims) k.status = dims.STATUS as SummaryKey['status'];
  if ('CHILD_REGION' in dims) k.regionCode = String(dims.CHILD_REGION).padEnd(12, '0');
  return k;
}

const keyString = (dims: Record<string, unknown>, names: SummaryDimension[]) => JSON.stringify(names.map((n) => dims[n] ?? null));

/**
 * 台账汇总 The register summary of a region on a date, grouped by the dimensions: live counts, original value,
 * accumulated depreciation and book value, funding by source, and the disposal column. Everything is summed
 * in the database; the children of a region add up exactly to the region (property-tested).
 */
export async function registerSummary(
  svc: ServiceContext,
  args: { regionCode: string; asOf?: string | null; groupBy?: SummaryDimension[] | null },
): Promise<RegisterSummary | null> {
  const asOf = asOfDate(svc, args.asOf);
  if (!regionReadable(svc, args.regionCode)) return null;
  const groupBy = [...new Set(args.groupBy ?? [])].sort((a, b) => SUMMARY_DIMENSIONS.indexOf(a) - SUMMARY_DIMENSIONS.indexOf(b));
  const prefix = prefixOf(args.regionCode);
  const childLen = CHILD_PREFIX[levelOf(args.regionCode)];
  const depSql = await depreciationSqlUnder(svc, prefix, asOf);
  const today = svc.clock.today();
  const rowsQuery = (byLine: boolean, rightsLevel: boolean) => {
    const q = assetsRepo.registerRowsQuery(svc.db, { regionPrefix: prefix }, asOf, byLine, today);
    if (rightsLevel) q.select(svc.db.raw(`${rightsLevelOnSql(svc.db, asOf)} as rights_level`));
    return q;
  };
  // Two queries, each reading the register once: one row per asset (counts, values, depreciation, disposal)
  // and one row per funding line (funding by source). Grouped by fund source, the line query gives the rows
  // themselves and the asset query the total; otherwise the asset query gives the rows, the total is their
  // sum (each asset is in one group) and the line query the funding of each group.
  const byLine = groupBy.includes('FUND_SOURCE');
  const nonSource = groupBy.filter((d) => d !== 'FUND_SOURCE');
  // Read from the events (a date before today, or the rights level), a row's status or level is computed once.
  const materialize = asOf !== today || groupBy.includes('RIGHTS_LEVEL');
  const readAssets = () => repo.aggregate(svc.db, rowsQuery(false, !byLine && groupBy.includes('RIGHTS_LEVEL')), byLine ? [] : groupBy, childLen, depSql, materialize);
  const readLines = () =>
    repo.lineAggregate(svc.db, rowsQuery(true, groupBy.includes('RIGHTS_LEVEL')), byLine ? groupBy : [...nonSource, 'FUND_SOURCE'], childLen, byLine ? depSql : null, materialize);
  // Side by side on the pool; one after the other inside a transaction, whose single connection cannot run two
  // queries at once (pg warns and queues them).
  const [assetRows, lineRows] = (svc.db as { isTransaction?: boolean }).isTransaction
    ? [await readAssets(), await readLines()]
    : await Promise.all([readAssets(), readLines()]);
  const liveLines = lineRows.filter((l) => l.liveLines > 0);
  const fundingOf = new Map<string, { source: FundSource; amountFen: number }[]>();
  const totalBySource = new Map<FundSource, number>();
  for (const l of liveLines) {
    const source = l.dims.FUND_SOURCE as FundSource;
    totalBySource.set(source, sumFen([totalBySource.get(source) ?? 0, l.liveFen]));
    if (byLine) continue;
    const k = keyString(l.dims, nonSource);
    if (!fundingOf.has(k)) fundingOf.set(k, []);
    fundingOf.get(k)!.push({ source, amountFen: l.liveFen });
  }
  // In code-point order, as ORDER BY source gave it (the sources are upper-case ASCII names that no collation
  // orders differently).
  const totalFunding = [...totalBySource]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, amountFen]) => ({ source, amountFen }));
  const toRow = (a: repo.AggregateRow, funding: { source: FundSource; amountFen: number }[]): SummaryRow => ({
    key: keyOf(a.dims),
    assetCount: a.liveCount,
    originalValueFen: a.liveFen,
    accumulatedDepreciationFen: a.depreciationFen,
    bookValueFen: a.liveFen - a.depreciationFen,
    fundingBySource: funding,
    disposedCount: a.disposedCount,
    disposedOriginalValueFen: a.disposedFen,
  });
  const sumOf = (k: 'liveCount' | 'liveFen' | 'depreciationFen' | 'disposedCount' | 'disposedFen') =>
    sumFen(assetRows.map((a) => a[k]));
  const total: repo.AggregateRow = {
    dims: {},
    liveCount: sumOf('liveCount'),
    liveFen: sumOf('liveFen'),
    depreciationFen: sumOf('depreciationFen'),
    disposedCount: sumOf('disposedCount'),
    disposedFen: sumOf('disposedFen'),
  };
  return {
    regionCode: args.regionCode,
    asOf,
    groupBy,
    total: toRow(total, totalFunding),
    rows: byLine
      ? lineRows.map((l) => toRow(l, l.liveLines > 0 ? [{ source: l.dims.FUND_SOURCE as FundSource, amountFen: l.liveFen }] : []))
      : groupBy.length
        ? assetRows.map((a) => toRow(a, fundingOf.get(keyString(a.dims, nonSource)) ?? []))
        : [],
  };
}

// ---- One asset on a date --------------------------------------------------------------------------------

/** The date the asset entered the register (as assets.FORMED_ON_SQL reads it). */
export function formedOn(a: Asset): string {
  return a.acceptedOn ?? a.completedOn ?? a.createdAt.slice(0, 10);
}

/** 账面价值 Accumulated depreciation and book value of one asset on a date, with its county's rule. */
export async function bookValueOf(svc: Pick<ServiceContext, 'db'>, a: Asset, asOf: string, rules?: DepreciationRule[]) {
  const rule = (rules ?? (await depreciationRulesFor(svc.db, a.villageCode))).find((r) => r.subType === a.subType)!;
  const accumulated = accumulatedDepreciationFen(a.originalValueFen, a.bookedOn, asOf, rule);
  return { originalValueFen: a.originalValueFen, accumulatedDepreciationFen: accumulated, bookValueFen: a.originalValueFen - accumulated, rule };
}

// ---- Audit findings ------------------------------------------------------------------------------------

/**
 * 审计发现 Every built-in check run over a region on a date (or only the given codes). Null outside the scope.
 * Findings come in the order of CHECKS, each check's in the order of its objects.
 */
export async function auditFindings(
  svc: ServiceContext,
  args: { regionCode: string; asOf?: string | null; codes?: FindingCode[] | null },
): Promise<Finding[] | null> {
  const asOf = asOfDate(svc, args.asOf);
  if (!regionReadable(svc, args.regionCode)) return null;
  const prefix = prefixOf(args.regionCode);
  const out: Finding[] = [];
  for (const check of CHECKS) {
    if (args.codes?.length && !args.codes.includes(check.code)) continue;
    out.push(...(await check.run({ svc, prefix, asOf })));
  }
  return out;
}
