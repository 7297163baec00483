/**
 * The reports module has no tables of its own. Its one piece of SQL aggregates a derived table that the owning
 * modules build (assets: the register on a date; rights: the rights level on it): it names no other module's
 * table. Every aggregate is summed in the database, in integer fen.
 */
import type { Knex } from 'knex';
import { toInt, type Executor } from '../../db/connection';
import type { SummaryDimension } from './reports.types';

export interface AggregateRow {
  dims: Record<string, unknown>;
  liveCount: number;
  liveFen: number;
  depreciationFen: number;
  disposedCount: number;
  disposedFen: number;
}

/** SQL of each dimension over the derived table `r`. */
export function dimensionSql(dim: SummaryDimension, childPrefixLength: number): string {
  switch (dim) {
    case 'CLASS':
      return 'r.class';
    case 'SUB_TYPE':
      return 'r.sub_type';
    case 'FUND_SOURCE':
      return 'r.source';
    case 'RIGHTS_LEVEL':
      return 'r.rights_level';
    case 'YEAR':
      return 'r.year';
    case 'STATUS':
      return 'r.status_on';
    case 'CHILD_REGION':
      return `substr(r.village_code, 1, ${Number(childPrefixLength)})`;
  }
}

/**
 * Sums over the derived table `rows` (one row per asset or per funding line, with amount_fen and status_on),
 * grouped by the dimensions. `depreciationSql` is the accumulated-depreciation expression over `r`.
 * Disposed assets (status on the date DISPOSED) leave the live columns and fill the disposal columns.
 */
export async function aggregate(
  db: Executor,
  rows: Knex.QueryBuilder,
  dims: SummaryDimension[],
  childPrefixLength: number,
  depreciationSql: string,
): Promise<AggregateRow[]> {
  const cols = dims.map((d, i) => `${dimensionSql(d, childPrefixLength)} AS d${i}`);
  const live = "r.status_on <> 'DISPOSED'";
  const select = [
    ...cols,
    `count(DISTINCT CASE WHEN ${live} THEN r.asset_id END) AS live_count`,
    `coalesce(sum(CASE WHEN ${live} THEN r.amount_fen ELSE 0 END), 0) AS live_fen`,
    `coalesce(sum(CASE WHEN ${live} THEN ${depreciationSql} ELSE 0 END), 0) AS dep_fen`,
    `count(DISTINCT CASE WHEN r.status_on = 'DISPOSED' THEN r.asset_id END) AS disposed_count`,
    `coalesce(sum(CASE WHEN r.status_on = 'DISPOSED' THEN r.amount_fen ELSE 0 END), 0) AS disposed_fen`,
  ];
  const q = db.select(db.raw(select.join(', '))).from(rows.as('r'));
  if (dims.length) {
    q.groupByRaw(dims.map((d) => dimensionSql(d, childPrefixLength)).join(', '));
    q.orderByRaw(dims.map((d) => dimensionSql(d, childPrefixLength)).join(', '));
  }
  const out = await q;
  return out.map((r: any) => ({
    dims: Object.fromEntries(dims.map((d, i) => [d, r[`d${i}`]])),
    liveCount: toInt(r.live_count),
    liveFen: toInt(r.live_fen),
    depreciationFen: toInt(r.dep_fen),
    disposedCount: toInt(r.disposed_count),
    disposedFen: toInt(r.disposed_fen),
  }));
}

/** Live amount by fund source within each group (rows per funding line). */
export async function fundingBySource(
  db: Executor,
  lineRows: Knex.QueryBuilder,
  dims: SummaryDimension[],
  childPrefixLength: number,
): Promise<{ dims: Record<string, unknown>; source: string; amountFen: number }[]> {
  const groups = dims.filter((d) => d !== 'FUND_SOURCE').map((d) => dimensionSql(d, childPrefixLength));
  const cols = dims.filter((d) => d !== 'FUND_SOURCE').map((d, i) => `${dimensionSql(d, childPrefixLength)} AS d${i}`);
  const q = db
    .select(db.raw([...cols, 'r.source AS source', 'sum(r.amount_fen) AS amount_fen'].join(', ')))
    .from(lineRows.as('r'))
    .whereRaw("r.status_on <> 'DISPOSED'")
    .groupByRaw([...groups, 'r.source'].join(', '))
    .orderByRaw([...groups, 'r.source'].join(', '));
  const out = await q;
  const named = dims.filter((d) => d !== 'FUND_SOURCE');
  return out.map((r: any) => ({
    dims: Object.fromEntries(named.map((d, i) => [d, r[`d${i}`]])),
    source: r.source,
    amountFen: toInt(r.amount_fen),
  }));
}
