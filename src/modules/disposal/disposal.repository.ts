/** The only code touching the disposal module's tables (disposals, notices, objections, events, pledges, proceeds re-uses). */
import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import type {
  AssetPledge,
  Disposal,
  DisposalEvent,
  DisposalNotice,
  DisposalObjection,
  DisposalProceedsReuse,
  ProceedsByRegion,
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

/** Pledges (pending or approved) that bind these venture members' stakes. */
export async function livePledgesOfMembers(db: Executor, memberIds: readonly number[]): Promise<AssetPledge[]> {
  if (!memberIds.length) return [];
  return (await db('asset_pledges').whereIn('bundle_member_id', [...memberIds]).whereIn('status', ['PENDING', 'ACTIVE']).orderBy('id')).map(toPledge);
}

export async function pledgesOfMembers(db: Executor, memberIds: readonly number[]): Promise<AssetPledge[]> {
  return (await db('asset_pledges').whereIn('bundle_member_id', [...memberIds]).orderBy('id')).map(toPledge);
}

export function pledgeListQuery(db: Executor, f: { regionPrefix: string; status?: string | null }): Knex.QueryBuilder {
  const q = db('asset_pledges').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.status) q.where('status', f.status);
  return q;
}

// ---- proceeds re-use ------------------------------------------------------------------------------------

const toReuse = (r: any): DisposalProceedsReuse => {
  const o = fromRow<DisposalProceedsReuse>(r);
  return { ...o, amountFen: Number(o.amountFen) };
};

export async function insertReuse(db: Executor, r: Omit<DisposalProceedsReuse, 'id'>): Promise<number> {
  return insertReturningId(db, 'disposal_proceeds_reuses', toRow(r as any));
}

export async function reusesOf(db: Executor, disposalIds: readonly number[]): Promise<DisposalProceedsReuse[]> {
  if (!disposalIds.length) return [];
  return (await db('disposal_proceeds_reuses').whereIn('disposal_id', [...disposalIds]).orderBy('id')).map(toReuse);
}

/** Re-use rows after `afterId`, lowest id first (what verify reconciles, disposal.reconcile.ts). */
export async function reusesAfter(db: Executor, afterId: number, limit: number): Promise<DisposalProceedsReuse[]> {
  return (await db('disposal_proceeds_reuses').where('id', '>', afterId).orderBy('id').limit(limit)).map(toReuse);
}

export async function findReuseByEntry(db: Executor, entryId: number): Promise<DisposalProceedsReuse | undefined> {
  const r = await db('disposal_proceeds_reuses').where({ entry_id: entryId }).first();
  return r && toReuse(r);
}

/**
 * Proceeds, re-used and remaining per village of the disposals executed with proceeds under a region prefix
 * (optionally in one year of execution): one grouped query over the module's own two tables.
 */
export async function proceedsByVillage(db: Executor, prefix: string, year?: number | null): Promise<ProceedsByRegion[]> {
  const reused = db('disposal_proceeds_reuses').select('disposal_id').sum({ reused_fen: 'amount_fen' }).groupBy('disposal_id').as('r');
  const q = db('disposals as d')
    .leftJoin(reused, 'r.disposal_id', 'd.id')
    .where('d.village_code', 'like', `${prefix}%`)
    .where('d.status', 'EXECUTED')
    .whereNotNull('d.entry_id');
  if (year) q.where('d.executed_on', '>=', `${year}-01-01`).where('d.executed_on', '<=', `${year}-12-31`);
  const rows = await q
    .groupBy('d.village_code')
    .orderBy('d.village_code')
    .select(
      'd.village_code',
      db.raw('count(d.id) as disposals'),
      db.raw('sum(coalesce(d.price_fen, 0) + coalesce(d.insurance_fen, 0)) as proceeds_fen'),
      db.raw('sum(coalesce(r.reused_fen, 0)) as reused_fen'),
    );
  return rows.map((r: any) => {
    const proceedsFen = Number(r.proceeds_fen);
    const reusedFen = Number(r.reused_fen);
    return { villageCode: r.village_code, disposals: Number(r.disposals), proceedsFen, reusedFen, remainingFen: proceedsFen - reusedFen };
  });
}

/** A published disposal notice by its id (the printable page, issue 14). */
export async function findNotice(db: Executor, id: number): Promise<DisposalNotice | undefined> {
  const r = await db('disposal_notices').where({ id }).first();
  return r ? (await noticesOf(db, [r.disposal_id])).find((n) => n.id === id) : undefined;
}

/** 账实核对 Executed disposals after `afterId`, lowest id first: what verify reconciles with their entries. */
export async function executedDisposalsAfter(db: Executor, afterId: number, limit: number): Promise<Disposal[]> {
  return (await db('disposals').where('id', '>', afterId).where({ status: 'EXECUTED' }).orderBy('id').limit(limit)).map(toDisposal);
}
