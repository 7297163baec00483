import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import { inChunks } from '../../db/inChunks';
import type { Household, HouseholdStatus, HouseholdStatusChange } from './households.types';

interface HouseholdRow {
  id: number;
  village_code: string;
  head_name: string;
  id_number: string;
  member_count: number;
  status: HouseholdStatus;
  created_at: string;
  updated_at: string;
}

export const toHousehold = (r: HouseholdRow): Household => ({
  id: r.id,
  villageCode: r.village_code,
  headName: r.head_name,
  idNumber: r.id_number,
  memberCount: r.member_count,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function findById(db: Executor, id: number): Promise<Household | undefined> {
  const row: HouseholdRow | undefined = await db('households').where({ id }).first();
  return row && toHousehold(row);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<Household[]> {
  const rows: HouseholdRow[] = await inChunks(ids, (slice) => db('households').whereIn('id', slice));
  return rows.map(toHousehold);
}

/** A household as a distribution drafts it: who, how many, and the status on the plan date (null: none yet). */
export interface HouseholdOnDate {
  id: number;
  villageCode: string;
  headName: string;
  memberCount: number;
  status: HouseholdStatus | null;
}

/**
 * Every household of a village with its status on a date — the last change on or before it, by effective
 * date then id, as statusOn() takes it from the history — in one read of five columns (issue 16, G5: a
 * distribution names up to every household of its village).
 */
export async function villageOnDate(db: Executor, villageCode: string, date: string): Promise<HouseholdOnDate[]> {
  const rows: any[] = await db('households as h')
    .where('h.village_code', villageCode)
    .select('h.id', 'h.village_code', 'h.head_name', 'h.member_count', {
      status: db('household_status_changes as c')
        .whereRaw('c.household_id = h.id')
        .where('c.effective_on', '<=', date)
        .orderBy([{ column: 'c.effective_on', order: 'desc' }, { column: 'c.id', order: 'desc' }])
        .limit(1)
        .select('c.status'),
    });
  return rows.map((r) => ({ id: r.id, villageCode: r.village_code, headName: r.head_name, memberCount: r.member_count, status: r.status ?? null }));
}

export async function findByIdNumber(db: Executor, idNumber: string): Promise<Household | undefined> {
  const row: HouseholdRow | undefined = await db('households').where({ id_number: idNumber }).first();
  return row && toHousehold(row);
}

export interface HouseholdFilter {
  regionPrefix: string;
  status?: HouseholdStatus | null;
  text?: string | null;
}

export function listQuery(db: Executor, f: HouseholdFilter): Knex.QueryBuilder {
  const q = db('households').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.status) q.where('status', f.status);
  if (f.text) q.where('head_name', 'like', `%${f.text.replace(/[%_\\]/g, '')}%`);
  return q;
}

export async function insert(db: Executor, h: Omit<Household, 'id'>): Promise<number> {
  const [r] = await db('households')
    .insert({
      village_code: h.villageCode,
      head_name: h.headName,
      id_number: h.idNumber,
      member_count: h.memberCount,
      status: h.status,
      created_at: h.createdAt,
      updated_at: h.updatedAt,
    })
    .returning('id');
  return r.id;
}

export async function update(
  db: Executor,
  id: number,
  patch: Partial<Pick<Household, 'headName' | 'memberCount' | 'status'>> & { updatedAt: string },
): Promise<void> {
  const row: Record<string, unknown> = { updated_at: patch.updatedAt };
  if (patch.headName !== undefined) row.head_name = patch.headName;
  if (patch.memberCount !== undefined) row.member_count = patch.memberCount;
  if (patch.status !== undefined) row.status = patch.status;
  await db('households').where({ id }).update(row);
}

export async function insertStatusChange(db: Executor, c: Omit<HouseholdStatusChange, 'id'>): Promise<void> {
  await db('household_status_changes').insert({
    household_id: c.householdId,
    status: c.status,
    effective_on: c.effectiveOn,
    reason: c.reason,
    actor_user_id: c.actorUserId,
    recorded_at: c.recordedAt,
  });
}

export async function statusHistory(db: Executor, householdIds: readonly number[]): Promise<HouseholdStatusChange[]> {
  const rows = await db('household_status_changes')
    .whereIn('household_id', householdIds as number[])
    .orderBy([{ column: 'effective_on' }, { column: 'id' }]);
  return rows.map((r: any) => ({
    id: r.id,
    householdId: r.household_id,
    status: r.status,
    effectiveOn: r.effective_on,
    reason: r.reason,
    actorUserId: r.actor_user_id,
    recordedAt: r.recorded_at,
  }));
}

export async function latestEffectiveOn(db: Executor, householdId: number): Promise<string | null> {
  const r = await db('household_status_changes').where({ household_id: householdId }).max({ m: 'effective_on' }).first();
  return (r?.m as string | null) ?? null;
}

/** Households of a village by the head's name (a sheet names a household owner as 张三户). */
export async function findByHeadName(db: Executor, villageCode: string, headName: string): Promise<Household[]> {
  const rows: HouseholdRow[] = await db('households').where({ village_code: villageCode, head_name: headName }).orderBy('id');
  return rows.map(toHousehold);
}
