import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import { toInt } from '../../db/connection';
import type { FundSource } from '../projects/projects.types';
import type { Asset, AssetClass, AssetEvent, AssetFundingLine, AssetStatus, AssetSubType } from './assets.types';

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
  const [r] = await db('asset_events')
    .insert({
      asset_id: e.assetId,
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      effective_on: e.effectiveOn,
      reason: e.reason,
      payload: JSON.stringify(e.payload ?? {}),
      actor_user_id: e.actorUserId,
      recorded_at: e.recordedAt,
    })
    .returning('id');
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
  const q = db('assets').where('village_code', 'like', `${f.regionPrefix}%`);
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
