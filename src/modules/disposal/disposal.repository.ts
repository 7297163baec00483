/** The only code touching the disposal module's tables (disposals, notices, objections, events, pledges, policies). */
import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import type {
  AssetPledge,
  Disposal,
  DisposalEvent,
  DisposalNotice,
  DisposalObjection,
  DisposalPolicy,
} from './disposal.types';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function toRow(o: Record<string, unknown>, json: string[] = []): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || k === 'id') continue;
    row[snake(k)] = json.includes(k) ? JSON.stringify(v) : v;
  }
  return row;
}

function fromRow<T>(r: Record<string, unknown>, json: string[] = [], bools: string[] = []): T {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    const key = camel(k);
    o[key] = json.includes(key) && typeof v === 'string' ? JSON.parse(v) : bools.includes(key) ? Boolean(v) : v;
  }
  return o as T;
}

const DISPOSAL_JSON = ['documentIds'];
const DISPOSAL_BOOLS = ['appraisalRequired', 'exchangeRequired'];
export const toDisposal = (r: any): Disposal => fromRow<Disposal>(r, DISPOSAL_JSON, DISPOSAL_BOOLS);

async function insertReturningId(db: Executor, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? r.id : r;
}

// ---- disposals ----------------------------------------------------------------------------------------

export async function insertDisposal(db: Executor, d: Omit<Disposal, 'id'>): Promise<number> {
  return insertReturningId(db, 'disposals', toRow(d as any, DISPOSAL_JSON));
}

export async function updateDisposal(db: Executor, id: number, patch: Partial<Omit<Disposal, 'id'>>): Promise<void> {
  await db('disposals').where({ id }).update(toRow(patch as any, DISPOSAL_JSON));
}

export async function findDisposal(db: Executor, id: number, forUpdate = false): Promise<Disposal | undefined> {
  const q = db('disposals').where({ id }).first();
  if (forUpdate && db.client.config.client === 'pg') q.forUpdate();
  const r = await q;
  return r && toDisposal(r);
}

export async function findDisposalsByIds(db: Executor, ids: readonly number[]): Promise<Disposal[]> {
  return (await db('disposals').whereIn('id', [...ids])).map(toDisposal);
}

export async function findByExecuteKey(db: Executor, key: string): Promise<Disposal | undefined> {
  const r = await db('disposals').where({ execute_key: key }).first();
  return r && toDisposal(r);
}

export async function findByEntryId(db: Executor, entryId: number): Promise<Disposal | undefined> {
  const r = await db('disposals').where({ entry_id: entryId }).first();
  return r && toDisposal(r);
}

export async function disposalsOfAssets(db: Executor, assetIds: readonly number[]): Promise<Disposal[]> {
  return (await db('disposals').whereIn('asset_id', [...assetIds]).orderBy('id')).map(toDisposal);
}

export interface DisposalFilter {
  regionPrefix: string;
  year?: number | null;
  method?: string | null;
  status?: string | null;
  assetId?: number | null;
}

export function listQuery(db: Executor, f: DisposalFilter): Knex.QueryBuilder {
  const q = db('disposals').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.year) q.where('requested_on', '>=', `${f.year}-01-01`).where('requested_on', '<=', `${f.year}-12-31`);
  if (f.method) q.where('method', f.method);
  if (f.status) q.where('status', f.status);
  if (f.assetId) q.where('asset_id', f.assetId);
  return q;
}

// ---- notices, objections, events ------------------------------------------------------------------------

export async function insertNotice(db: Executor, n: Omit<DisposalNotice, 'id'>): Promise<number> {
  return insertReturningId(db, 'disposal_notices', toRow(n as any, ['content']));
}

export async function noticesOf(db: Executor, disposalIds: readonly number[]): Promise<DisposalNotice[]> {
  return (await db('disposal_notices').whereIn('disposal_id', [...disposalIds])).map((r: any) => fromRow<DisposalNotice>(r, ['content']));
}

export async function insertObjection(db: Executor, o: Omit<DisposalObjection, 'id'>): Promise<number> {
  return insertReturningId(db, 'disposal_objections', toRow(o as any));
}

export async function objectionsOf(db: Executor, disposalIds: readonly number[]): Promise<DisposalObjection[]> {
  return (await db('disposal_objections').whereIn('disposal_id', [...disposalIds]).orderBy('id')).map((r: any) => fromRow<DisposalObjection>(r));
}

export async function findObjection(db: Executor, id: number): Promise<DisposalObjection | undefined> {
  const r = await db('disposal_objections').where({ id }).first();
  return r && fromRow<DisposalObjection>(r);
}

export async function resolveObjection(db: Executor, id: number, resolvedOn: string, resolution: string): Promise<void> {
  await db('disposal_objections').where({ id }).update({ resolved_on: resolvedOn, resolution });
}

export async function insertEvent(db: Executor, e: Omit<DisposalEvent, 'id'>): Promise<number> {
  return insertReturningId(db, 'disposal_events', toRow(e as any, ['payload']));
}

export async function eventsOf(db: Executor, disposalIds: readonly number[]): Promise<DisposalEvent[]> {
  return (await db('disposal_events').whereIn('disposal_id', [...disposalIds]).orderBy('id')).map((r: any) => fromRow<DisposalEvent>(r, ['payload']));
}

// ---- pledges --------------------------------------------------------------------------------------------

export const toPledge = (r: any): AssetPledge => fromRow<AssetPledge>(r);

export async function insertPledge(db: Executor, p: Omit<AssetPledge, 'id'>): Promise<number> {
  return insertReturningId(db, 'asset_pledges', toRow(p as any));
}

export async function updatePledge(db: Executor, id: number, patch: Partial<Omit<AssetPledge, 'id'>>): Promise<void> {
  await db('asset_pledges').where({ id }).update(toRow(patch as any));
}

export async function findPledge(db: Executor, id: number, forUpdate = false): Promise<AssetPledge | undefined> {
  const q = db('asset_pledges').where({ id }).first();
  if (forUpdate && db.client.config.client === 'pg') q.forUpdate();
  const r = await q;
  return r && toPledge(r);
}

export async function pledgesOfAssets(db: Executor, assetIds: readonly number[]): Promise<AssetPledge[]> {
  return (await db('asset_pledges').whereIn('asset_id', [...assetIds]).orderBy('id')).map(toPledge);
}

export function pledgeListQuery(db: Executor, f: { regionPrefix: string; status?: string | null }): Knex.QueryBuilder {
  const q = db('asset_pledges').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.status) q.where('status', f.status);
  return q;
}

// ---- policy ---------------------------------------------------------------------------------------------

export async function findPolicy(db: Executor, countyCode: string): Promise<DisposalPolicy | undefined> {
  const r = await db('disposal_policies').where({ county_code: countyCode }).first();
  if (!r) return undefined;
  const { updatedBy: _u, ...p } = fromRow<DisposalPolicy & { updatedBy: number }>(r);
  return { ...p, isDefault: false };
}

export async function upsertPolicy(db: Executor, p: Omit<DisposalPolicy, 'isDefault'>, userId: number): Promise<void> {
  const row = { ...toRow({ ...p } as any), updated_by: userId };
  await db('disposal_policies').insert(row).onConflict('county_code').merge();
}

/** 账实核对 Executed disposals after `afterId`, lowest id first: what verify reconciles with their entries. */
export async function executedDisposalsAfter(db: Executor, afterId: number, limit: number): Promise<Disposal[]> {
  return (await db('disposals').where('id', '>', afterId).where({ status: 'EXECUTED' }).orderBy('id').limit(limit)).map(toDisposal);
}
