import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import { toInt } from '../../db/connection';
import { insertRows } from '../../db/insertRows';
import type { FundSource } from '../projects/projects.types';
import type { Asset, AssetClass, AssetEvent, AssetFundingLine, AssetHold, AssetStatus, AssetSubType, HoldKind } from './assets.types';
import { OBSERVATION_ACTIONS } from './assets.types';

export const toAsset = (r: any): Asset => ({
  id: r.id,
  countyCode: r.county_code,
  code: r.code,
  name: r.name,
  class: r.class,
  subType: r.sub_type,
  quantity: Number(r.quantity),
  unit: r.unit,
  villageCode: r.village_code,
  location: r.location,
  projectId: r.project_id,
  year: r.year,
  originalValueFen: r.original_value_fen,
  completedOn: r.completed_on,
  acceptedOn: r.accepted_on,
  handedOverOn: r.handed_over_on,
  bookedOn: r.booked_on,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS: Record<keyof Omit<Asset, 'id'>, string> = {
  countyCode: 'county_code',
  code: 'code',
  name: 'name',
  class: 'class',
  subType: 'sub_type',
  quantity: 'quantity',
  unit: 'unit',
  villageCode: 'village_code',
  location: 'location',
  projectId: 'project_id',
  year: 'year',
  originalValueFen: 'original_value_fen',
  completedOn: 'completed_on',
  acceptedOn: 'accepted_on',
  handedOverOn: 'handed_over_on',
  bookedOn: 'booked_on',
  status: 'status',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

function toRow(a: Partial<Omit<Asset, 'id'>>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a)) if (v !== undefined) row[COLUMNS[k as keyof typeof COLUMNS]] = v;
  return row;
}

export async function findById(db: Executor, id: number): Promise<Asset | undefined> {
  const r = await db('assets').where({ id }).first();
  return r && toAsset(r);
}

/** Reads the asset and locks its row until the transaction ends (PostgreSQL; SQLite serialises writers). */
export async function findByIdForUpdate(db: Executor, id: number): Promise<Asset | undefined> {
  const q = db('assets').where({ id }).first();
  if (db.client.config.client === 'pg') q.forUpdate();
  const r = await q;
  return r && toAsset(r);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<Asset[]> {
  return (await db('assets').whereIn('id', ids as number[])).map(toAsset);
}

export async function insert(db: Executor, a: Omit<Asset, 'id'>): Promise<number> {
  const [r] = await db('assets').insert(toRow(a)).returning('id');
  return r.id;
}

/** Many assets in multi-row inserts (the register import); ids in the order of `assets`. */
export async function insertMany(db: Executor, assets: Omit<Asset, 'id'>[]): Promise<number[]> {
  const rows = assets.map((a) => {
    const row: Record<string, unknown> = {};
    for (const [k, column] of Object.entries(COLUMNS)) row[column] = a[k as keyof typeof COLUMNS] ?? null;
    return row;
  });
  return (await insertRows(db, 'assets', rows, { returning: 'id' })).map((r) => r.id);
}

export async function insertFundingLinesMany(db: Executor, lines: AssetFundingLine[]): Promise<void> {
  await insertRows(db, 'asset_funding_lines', lines.map((l) => ({ asset_id: l.assetId, source: l.source, level: l.level, amount_fen: l.amountFen })));
}

const eventRow = (e: Omit<AssetEvent, 'id'>) => ({
  asset_id: e.assetId,
  action: e.action,
  from_status: e.fromStatus,
  to_status: e.toStatus,
  effective_on: e.effectiveOn,
  reason: e.reason,
  payload: JSON.stringify(e.payload ?? {}),
  actor_user_id: e.actorUserId,
  recorded_at: e.recordedAt,
});

/** Many events in multi-row inserts, ids in the order given. */
export async function insertEventsMany(db: Executor, events: Omit<AssetEvent, 'id'>[]): Promise<void> {
  await insertRows(
    db,
    'asset_events',
    events.map(eventRow),
  );
}

/** Which of `codes` the county has already registered. */
export async function codesIn(db: Executor, countyCode: string, codes: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await db('assets').where({ county_code: countyCode }).whereIn('code', codes.slice(i, i + 500) as string[]).select('code');
    out.push(...rows.map((r: any) => r.code));
  }
  return out;
}

export async function update(db: Executor, id: number, patch: Partial<Omit<Asset, 'id'>>): Promise<void> {
  await db('assets').where({ id }).update(toRow(patch));
}

export async function insertFundingLines(db: Executor, assetId: number, lines: Omit<AssetFundingLine, 'assetId'>[]) {
  await db('asset_funding_lines').insert(
    lines.map((l) => ({ asset_id: assetId, source: l.source, level: l.level, amount_fen: l.amountFen })),
  );
}

export async function fundingLines(db: Executor, assetIds: readonly number[]): Promise<AssetFundingLine[]> {
  const rows = await db('asset_funding_lines').whereIn('asset_id', assetIds as number[]).orderBy('id');
  return rows.map((r: any) => ({ assetId: r.asset_id, source: r.source, level: r.level, amountFen: r.amount_fen }));
}

/** Sum per source of the funding already booked to the project's assets. */
export async function projectAssetFundingBySource(db: Executor, projectId: number): Promise<Map<FundSource, number>> {
  const rows = await db('asset_funding_lines')
    .join('assets', 'assets.id', 'asset_funding_lines.asset_id')
    .where('assets.project_id', projectId)
    .groupBy('asset_funding_lines.source')
    .select('asset_funding_lines.source as source')
    .sum({ total: 'asset_funding_lines.amount_fen' });
  return new Map(rows.map((r: any) => [r.source, toInt(r.total)]));
}

export async function findByCode(db: Executor, countyCode: string, code: string): Promise<Asset | undefined> {
  const r = await db('assets').where({ county_code: countyCode, code }).first();
  return r ? toAsset(r) : undefined;
}

/** Next sequence number of the county/year/class; the upsert's row lock serialises concurrent writers. */
export async function nextCodeSequence(db: Executor, countyCode: string, year: number, cls: AssetClass): Promise<number> {
  const [r] = await db('asset_code_sequences')
    .insert({ county_code: countyCode, year, class: cls, last_seq: 1 })
    .onConflict(['county_code', 'year', 'class'])
    .merge({ last_seq: db.raw('asset_code_sequences.last_seq + 1') })
    .returning('last_seq');
  return toInt(r.last_seq);
}

export async function insertEvent(db: Executor, e: Omit<AssetEvent, 'id'>): Promise<number> {
  const [r] = await db('asset_events').insert(eventRow(e)).returning('id');
  return r.id;
}

const toEvent = (r: any): AssetEvent => ({
  id: r.id,
  assetId: r.asset_id,
  action: r.action,
  fromStatus: r.from_status,
  toStatus: r.to_status,
  effectiveOn: r.effective_on,
  reason: r.reason,
  payload: JSON.parse(r.payload),
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function eventsOf(db: Executor, assetIds: readonly number[]): Promise<AssetEvent[]> {
  return (await db('asset_events').whereIn('asset_id', assetIds as number[]).orderBy('id')).map(toEvent);
}

/** The latest event of an asset, ignoring the given actions (observations that do not order steps). */
export async function lastEvent(db: Executor, assetId: number, ignoring: readonly string[] = []): Promise<AssetEvent | undefined> {
  const q = db('asset_events').where({ asset_id: assetId });
  if (ignoring.length) q.whereNotIn('action', ignoring as string[]);
  const r = await q.orderBy('id', 'desc').first();
  return r && toEvent(r);
}

export async function findEventsByIds(db: Executor, ids: readonly number[]): Promise<AssetEvent[]> {
  return (await db('asset_events').whereIn('id', ids as number[])).map(toEvent);
}

export async function findEvent(db: Executor, id: number): Promise<AssetEvent | undefined> {
  const r = await db('asset_events').where({ id }).first();
  return r && toEvent(r);
}

export interface AssetFilter {
  regionPrefix: string;
  class?: AssetClass | null;
  subType?: AssetSubType | null;
  status?: AssetStatus | null;
  year?: number | null;
  fundSource?: FundSource | null;
  projectId?: number | null;
  text?: string | null;
}

export function listQuery(db: Executor, f: AssetFilter): Knex.QueryBuilder {
  return withFilters(db('assets').where('village_code', 'like', `${f.regionPrefix}%`), db, f);
}

/**
 * The codes that start with a digit prefix as a range, `lo <= code < hi` (hi null: no upper bound), which an
 * index on the code can serve: LIKE 'prefix%' cannot on SQLite (case-insensitive LIKE) nor on PostgreSQL
 * outside the C collation. Null for the empty prefix (every code). Digits sort alike under every collation.
 */
export function prefixRange(prefix: string): { lo: string; hi: string | null } | null {
  if (!prefix) return null;
  if (!/^\d+$/.test(prefix)) throw new Error(`region prefix must be digits, got ${JSON.stringify(prefix)}`);
  const next = String(BigInt(prefix) + 1n).padStart(prefix.length, '0');
  return { lo: prefix, hi: next.length > prefix.length ? null : next };
}

/** Narrows a query to the codes in `column` that start with the digit prefix, as a range (prefixRange). */
export function whereCodeUnder(q: Knex.QueryBuilder, column: string, prefix: string): Knex.QueryBuilder {
  const r = prefixRange(prefix);
  if (!r) return q;
  q.where(column, '>=', r.lo);
  if (r.hi) q.where(column, '<', r.hi);
  return q;
}

function withFilters(q: Knex.QueryBuilder, db: Executor, f: Omit<AssetFilter, 'regionPrefix'>): Knex.QueryBuilder {
  if (f.class) q.where('class', f.class);
  if (f.subType) q.where('sub_type', f.subType);
  if (f.status) q.where('status', f.status);
  if (f.year) q.where('year', f.year);
  if (f.projectId) q.where('project_id', f.projectId);
  if (f.fundSource) {
    q.whereExists(
      db('asset_funding_lines').whereRaw('asset_funding_lines.asset_id = assets.id').where('source', f.fundSource),
    );
  }
  if (f.text) {
    const like = `%${f.text.toLowerCase().replace(/[%_\\]/g, '')}%`;
    q.where((w) => w.whereRaw('lower(name) like ?', [like]).orWhereRaw('lower(code) like ?', [like]));
  }
  return q;
}

// ---- Holds (asset_holds) -------------------------------------------------------------------------------

export const toHold = (r: any): AssetHold => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind,
  holderId: r.holder_id,
  holderLabel: r.holder_label,
  startOn: r.start_on,
  endOn: r.end_on,
  releasedOn: r.released_on,
  releaseReason: r.release_reason,
  statusBefore: r.status_before,
  actorUserId: r.actor_user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Holds of the assets that are live on some day of from..to (inclusive; to null = open-ended).
 * A hold released on its own start day never held the asset and does not count.
 */
export async function holdsOverlapping(db: Executor, assetIds: readonly number[], from: string, to: string | null): Promise<AssetHold[]> {
  const q = db('asset_holds')
    .whereIn('asset_id', assetIds as number[])
    .where((w) => w.whereNull('end_on').orWhere('end_on', '>=', from))
    .where((w) => w.whereNull('released_on').orWhere('released_on', '>', from))
    .whereRaw('(released_on IS NULL OR released_on > start_on)');
  if (to !== null) q.where('start_on', '<=', to);
  return (await q.orderBy(['start_on', 'id'])).map(toHold);
}

export async function holdsOf(db: Executor, assetIds: readonly number[]): Promise<AssetHold[]> {
  return (await db('asset_holds').whereIn('asset_id', assetIds as number[]).orderBy(['start_on', 'id'])).map(toHold);
}

export async function findHold(db: Executor, kind: HoldKind, holderId: number, assetId: number): Promise<AssetHold | undefined> {
  const r = await db('asset_holds').where({ kind, holder_id: holderId, asset_id: assetId }).first();
  return r && toHold(r);
}

export async function insertHold(db: Executor, h: Omit<AssetHold, 'id'>): Promise<number> {
  const [row] = await db('asset_holds')
    .insert({
      asset_id: h.assetId,
      kind: h.kind,
      holder_id: h.holderId,
      holder_label: h.holderLabel,
      start_on: h.startOn,
      end_on: h.endOn,
      released_on: h.releasedOn,
      release_reason: h.releaseReason,
      status_before: h.statusBefore,
      actor_user_id: h.actorUserId,
      created_at: h.createdAt,
      updated_at: h.updatedAt,
    })
    .returning('id');
  return row.id;
}

export async function updateHold(
  db: Executor,
  id: number,
  patch: { endOn?: string | null; releasedOn?: string | null; releaseReason?: string | null; updatedAt: string },
): Promise<void> {
  const row: Record<string, unknown> = { updated_at: patch.updatedAt };
  if (patch.endOn !== undefined) row.end_on = patch.endOn;
  if (patch.releasedOn !== undefined) row.released_on = patch.releasedOn;
  if (patch.releaseReason !== undefined) row.release_reason = patch.releaseReason;
  await db('asset_holds').where({ id }).update(row);
}

/** Narrows an assets query to those no hold of `kind` binds on `date` (e.g. 有租无合同: no contract). */
export function whereNotHeldOn(q: Knex.QueryBuilder, db: Executor, kind: HoldKind, date: string): Knex.QueryBuilder {
  return q.whereNotExists(
    db('asset_holds')
      .whereRaw('asset_holds.asset_id = assets.id')
      .where({ kind })
      .where('start_on', '<=', date)
      .where((w) => w.whereNull('end_on').orWhere('end_on', '>=', date))
      .where((w) => w.whereNull('released_on').orWhere('released_on', '>', date)),
  );
}

// ---- The register as of a date (issue 14: reports) ------------------------------------------------------

/**
 * Observations (OBSERVATION_ACTIONS: stamped with the day they happened or were entered, out of order with the
 * steps, carrying the status of the day they were entered): left out when the status on a date is read back.
 * Every other event obeys the order of effective dates, so the last of them on or before today carries the
 * asset's current status.
 */
const NON_STEP_ACTIONS: readonly string[] = OBSERVATION_ACTIONS;

/**
 * The date an asset enters the register as it stood in reality: accepted (验收), else completed, else the day it
 * was registered in the system. The register as of a date holds the assets formed on or before it.
 */
export const FORMED_ON_SQL = "coalesce(assets.accepted_on, assets.completed_on, substr(assets.created_at, 1, 10))";

/**
 * Correlated SQL for `assets`: the status on `asOf` — the target of the last lifecycle step effective on or
 * before it (steps are ordered by effective date, then by id), REGISTERED before any step.
 */
export function statusOnSql(db: Executor, asOf: string): Knex.Raw {
  return db.raw(
    `coalesce((SELECT e.to_status FROM asset_events e WHERE e.asset_id = assets.id AND e.effective_on <= ?
       AND e.action NOT IN (${NON_STEP_ACTIONS.map(() => '?').join(', ')})
       ORDER BY e.effective_on DESC, e.id DESC LIMIT 1), 'REGISTERED')`,
    [asOf, ...NON_STEP_ACTIONS],
  );
}

export interface RegisterFilter extends Omit<AssetFilter, 'status'> {
  /** Status on the date (not today's). */
  status?: AssetStatus | null;
}

/** Assets on the register on `asOf` in the region, with static filters; the status filter applies on the date. */
export function registerOnQuery(db: Executor, f: RegisterFilter, asOf: string): Knex.QueryBuilder {
  const q = listQuery(db, { ...f, status: null }).whereRaw(`${FORMED_ON_SQL} <= ?`, [asOf]);
  if (f.status) q.whereRaw(`${statusOnSql(db, asOf).toQuery()} = ?`, [f.status]);
  return q;
}

/**
 * The status on `asOf` as SQL for `assets`. Today it is the asset's current status column: every status change
 * goes through applyTransition, which writes the column and the step's event together, steps are never dated
 * in the future nor before an earlier step, and observations are left out (NON_STEP_ACTIONS) — so the last
 * step on or before today is the one that set the column (test/reports.summary.test.ts compares the two paths
 * over random registers and the demo county). Any other date reads the events (statusOnSql).
 */
export function statusOnOrTodaySql(db: Executor, asOf: string, today: string): Knex.Raw {
  return asOf === today ? db.raw('assets.status') : statusOnSql(db, asOf);
}

/**
 * One row per asset (or, with `byFundingLine`, per funding line) on the register on `asOf` in the region, with
 * the columns a roll-up groups on and sums: class, sub_type, year, village_code, booked_on, amount_fen (original
 * value, or the line's amount), source (funding lines only) and status_on. Callers add columns and aggregate
 * over it. The region is a code range (whereCodeUnder); with `today` equal to `asOf` the status is the current
 * column (statusOnOrTodaySql), otherwise it is read from the events.
 */
export function registerRowsQuery(db: Executor, f: RegisterFilter, asOf: string, byFundingLine: boolean, today?: string): Knex.QueryBuilder {
  const status = today === undefined ? statusOnSql(db, asOf) : statusOnOrTodaySql(db, asOf, today);
  const q = withFilters(whereCodeUnder(db('assets'), 'assets.village_code', f.regionPrefix), db, { ...f, status: null }).whereRaw(
    `${FORMED_ON_SQL} <= ?`,
    [asOf],
  );
  if (f.status) q.whereRaw(`${status.toQuery()} = ?`, [f.status]);
  q.select(
    'assets.id as asset_id',
    'assets.class as class',
    'assets.sub_type as sub_type',
    'assets.year as year',
    'assets.village_code as village_code',
    'assets.booked_on as booked_on',
    db.raw(`${status.toQuery()} as status_on`),
  );
  if (byFundingLine) {
    q.join('asset_funding_lines as fl', 'fl.asset_id', 'assets.id').select('fl.amount_fen as amount_fen', 'fl.source as source');
  } else {
    q.select('assets.original_value_fen as amount_fen', db.raw('NULL as source'));
  }
  return q;
}

/** 已登记未入账: assets on the register on `asOf`, not disposed on it, not booked by it. */
export async function notBookedOn(db: Executor, regionPrefix: string, asOf: string): Promise<Asset[]> {
  const q = registerOnQuery(db, { regionPrefix }, asOf)
    .where((w) => w.whereNull('assets.booked_on').orWhere('assets.booked_on', '>', asOf))
    .whereRaw(`${statusOnSql(db, asOf).toQuery()} <> 'DISPOSED'`)
    .select('assets.*')
    .orderBy('assets.id');
  return (await q).map(toAsset);
}

/** 时间倒置: assets whose recorded dates run backwards (handed over or booked before acceptance). */
export async function datesReversed(db: Executor, regionPrefix: string, asOf: string): Promise<Asset[]> {
  const q = registerOnQuery(db, { regionPrefix }, asOf)
    .whereNotNull('assets.accepted_on')
    .where((w) =>
      w
        .whereRaw('assets.handed_over_on IS NOT NULL AND assets.handed_over_on < assets.accepted_on')
        .orWhereRaw('assets.booked_on IS NOT NULL AND assets.booked_on < assets.accepted_on'),
    )
    .select('assets.*')
    .orderBy('assets.id');
  return (await q).map(toAsset);
}

/** Sum of original value of each project's assets formed on or before `asOf`, in SQL. */
export async function originalValueByProject(db: Executor, projectIds: readonly number[], asOf: string): Promise<Map<number, number>> {
  if (!projectIds.length) return new Map();
  const rows = await db('assets')
    .whereIn('project_id', projectIds as number[])
    .whereRaw(`${FORMED_ON_SQL} <= ?`, [asOf])
    .groupBy('project_id')
    .select('project_id', db.raw('sum(original_value_fen) as total'));
  return new Map(rows.map((r: any) => [r.project_id, toInt(r.total)]));
}

/** The latest date on or before `asOf` each asset entered `status` (a lifecycle step into it). */
export async function enteredStatusOn(db: Executor, assetIds: readonly number[], status: AssetStatus, asOf: string): Promise<Map<number, string>> {
  if (!assetIds.length) return new Map();
  const rows = await db('asset_events')
    .whereIn('asset_id', assetIds as number[])
    .where({ to_status: status })
    .whereNot('from_status', status)
    .where('effective_on', '<=', asOf)
    .groupBy('asset_id')
    .select('asset_id', db.raw('max(effective_on) as on_date'));
  return new Map(rows.map((r: any) => [r.asset_id, r.on_date]));
}

/** The status of each asset on `asOf` (one query). */
export async function statusesOn(db: Executor, assetIds: readonly number[], asOf: string): Promise<Map<number, AssetStatus>> {
  if (!assetIds.length) return new Map();
  const rows = await db('assets').whereIn('id', assetIds as number[]).select('id', db.raw(`${statusOnSql(db, asOf).toQuery()} as status_on`));
  return new Map(rows.map((r: any) => [r.id, r.status_on]));
}
