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

const LIVE = "r.status_on <> 'DISPOSED'";
const DISPOSED = "r.status_on = 'DISPOSED'";

/**
 * `SELECT … FROM rows AS r`. With `materialize` (rows whose status is read from the events by a correlated
 * sub-query) the rows are a MATERIALIZED common table expression: otherwise the databases inline the derived
 * table and evaluate the sub-query once per reference to status_on (five per row).
 */
function fromRows(db: Executor, select: string, rows: Knex.QueryBuilder, materialize: boolean): Knex.QueryBuilder {
  return materialize ? db.withMaterialized('r', rows).select(db.raw(select)).from('r') : db.select(db.raw(select)).from(rows.as('r'));
}

function grouped(q: Knex.QueryBuilder, dims: SummaryDimension[], childPrefixLength: number): Knex.QueryBuilder {
  if (dims.length) {
    const list = dims.map((d) => dimensionSql(d, childPrefixLength)).join(', ');
    q.groupByRaw(list).orderByRaw(list);
  }
  return q;
}

const toAggregate = (dims: SummaryDimension[]) => (r: any): AggregateRow => ({
  dims: Object.fromEntries(dims.map((d, i) => [d, r[`d${i}`]])),
  liveCount: toInt(r.live_count),
  liveFen: toInt(r.live_fen),
  depreciationFen: toInt(r.dep_fen),
  disposedCount: toInt(r.disposed_count),
  disposedFen: toInt(r.disposed_fen),
});

/**
 * Sums over the derived table `rows` with one row per asset (amount_fen = original value, status_on), grouped
 * by the dimensions (none: one row). `depreciationSql` is the accumulated-depreciation expression over `r`.
 * Disposed assets (status on the date DISPOSED) leave the live columns and fill the disposal columns. Each
 * asset falls in exactly one group, so the groups add up to the whole.
 */
export async function aggregate(
  db: Executor,
  rows: Knex.QueryBuilder,
  dims: SummaryDimension[],
  childPrefixLength: number,
  depreciationSql: string,
  materialize = false,
): Promise<AggregateRow[]> {
  const select = [
    ...dims.map((d, i) => `${dimensionSql(d, childPrefixLength)} AS d${i}`),
    `count(CASE WHEN ${LIVE} THEN 1 END) AS live_count`,
    `coalesce(sum(CASE WHEN ${LIVE} THEN r.amount_fen ELSE 0 END), 0) AS live_fen`,
    `coalesce(sum(CASE WHEN ${LIVE} THEN ${depreciationSql} ELSE 0 END), 0) AS dep_fen`,
    `count(CASE WHEN ${DISPOSED} THEN 1 END) AS disposed_count`,
    `coalesce(sum(CASE WHEN ${DISPOSED} THEN r.amount_fen ELSE 0 END), 0) AS disposed_fen`,
  ];
  const out = await grouped(fromRows(db, select.join(', '), rows, materialize), dims, childPrefixLength);
  return out.map(toAggregate(dims));
}

export interface LineAggregateRow extends AggregateRow {
  /** Funding lines of live assets in the group (a group with live lines has a funding entry, even of 0). */
  liveLines: number;
}

/**
 * Sums over the derived table `lineRows` with one row per funding line (amount_fen = the line's amount, source),
 * grouped by the dimensions (FUND_SOURCE among them). With `depreciationSql` every column of `aggregate` is
 * filled, assets counted once per group and depreciation charged per line; without it only the live lines
 * are read (liveFen, liveLines) and the other columns are 0.
 */
export async function lineAggregate(
  db: Executor,
  lineRows: Knex.QueryBuilder,
  dims: SummaryDimension[],
  childPrefixLength: number,
  depreciationSql: string | null,
  materialize = false,
): Promise<LineAggregateRow[]> {
  const cols = dims.map((d, i) => `${dimensionSql(d, childPrefixLength)} AS d${i}`);
  const q = depreciationSql
    ? fromRows(
        db,
          [
            ...cols,
            `count(DISTINCT CASE WHEN ${LIVE} THEN r.asset_id END) AS live_count`,
            `coalesce(sum(CASE WHEN ${LIVE} THEN r.amount_fen ELSE 0 END), 0) AS live_fen`,
            `coalesce(sum(CASE WHEN ${LIVE} THEN ${depreciationSql} ELSE 0 END), 0) AS dep_fen`,
            `count(DISTINCT CASE WHEN ${DISPOSED} THEN r.asset_id END) AS disposed_count`,
            `coalesce(sum(CASE WHEN ${DISPOSED} THEN r.amount_fen ELSE 0 END), 0) AS disposed_fen`,
            `count(CASE WHEN ${LIVE} THEN 1 END) AS live_lines`,
          ].join(', '),
        lineRows,
        materialize,
      )
    : fromRows(db, [...cols, 'sum(r.amount_fen) AS live_fen', 'count(*) AS live_lines'].join(', '), lineRows, materialize).whereRaw(LIVE);
  const out = await grouped(q, dims, childPrefixLength);
  return out.map((r: any) => ({ ...toAggregate(dims)(r), liveLines: toInt(r.live_lines) }));
}
