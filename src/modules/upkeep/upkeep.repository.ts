import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import type { UpkeepAssignment, UpkeepRecord } from './upkeep.types';

const toAssignment = (r: any): UpkeepAssignment => ({
  id: r.id,
  assetId: r.asset_id,
  bodyPartyId: r.body_party_id,
  personName: r.person_name,
  personRole: r.person_role,
  fundSource: r.fund_source,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
  note: r.note,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

const toRecord = (r: any): UpkeepRecord => ({
  id: r.id,
  assetId: r.asset_id,
  kind: r.kind,
  doneOn: r.done_on,
  costFen: r.cost_fen,
  note: r.note,
  entryId: r.entry_id ?? null,
  paidFrom: r.paid_from ?? null,
  actorUserId: r.actor_user_id,
  recordedAt: r.recorded_at,
});

export async function openAssignment(db: Executor, assetId: number): Promise<UpkeepAssignment | undefined> {
  const r = await db('upkeep_assignments').where({ asset_id: assetId }).whereNull('effective_to').first();
  return r && toAssignment(r);
}

/** Ends the open assignment on `on` (exclusive): the only update upkeep_assignments ever gets. */
export async function closeAssignment(db: Executor, assetId: number, on: string): Promise<void> {
  await db('upkeep_assignments').where({ asset_id: assetId }).whereNull('effective_to').update({ effective_to: on });
}

export async function insertAssignment(db: Executor, a: Omit<UpkeepAssignment, 'id'>): Promise<number> {
  const [r] = await db('upkeep_assignments')
    .insert({
      asset_id: a.assetId,
      body_party_id: a.bodyPartyId,
      person_name: a.personName,
      person_role: a.personRole,
      fund_source: a.fundSource,
      effective_from: a.effectiveFrom,
      effective_to: a.effectiveTo,
      note: a.note,
      actor_user_id: a.actorUserId,
      recorded_at: a.recordedAt,
    })
    .returning('id');
  return r.id;
}

export async function assignmentsOf(db: Executor, assetIds: readonly number[]): Promise<UpkeepAssignment[]> {
  return (await db('upkeep_assignments').whereIn('asset_id', assetIds as number[]).orderBy('id')).map(toAssignment);
}

export async function insertRecord(db: Executor, r: Omit<UpkeepRecord, 'id'>): Promise<number> {
  const [row] = await db('upkeep_records')
    .insert({
      asset_id: r.assetId,
      kind: r.kind,
      done_on: r.doneOn,
      cost_fen: r.costFen,
      note: r.note,
      entry_id: r.entryId,
      paid_from: r.paidFrom,
      actor_user_id: r.actorUserId,
      recorded_at: r.recordedAt,
    })
    .returning('id');
  return row.id;
}

export async function findRecordByEntryId(db: Executor, entryId: number): Promise<UpkeepRecord | undefined> {
  const r = await db('upkeep_records').where({ entry_id: entryId }).first();
  return r && toRecord(r);
}

export async function recordsOf(db: Executor, assetIds: readonly number[]): Promise<UpkeepRecord[]> {
  return (await db('upkeep_records').whereIn('asset_id', assetIds as number[]).orderBy(['done_on', 'id'])).map(toRecord);
}

/** Correlated sub-query for `assets`: an upkeep assignment of the asset in force on `date`. */
export function assignedOnSubquery(db: Executor, date: string): Knex.QueryBuilder {
  return db('upkeep_assignments')
    .whereRaw('upkeep_assignments.asset_id = assets.id')
    .where('upkeep_assignments.effective_from', '<=', date)
    .where((w) => w.whereNull('upkeep_assignments.effective_to').orWhere('upkeep_assignments.effective_to', '>', date));
}

/** 账实核对 Upkeep records after `afterId`, lowest id first: what verify reconciles with their entries. */
export async function recordsAfter(db: Executor, afterId: number, limit: number): Promise<UpkeepRecord[]> {
  return (await db('upkeep_records').where('id', '>', afterId).orderBy('id').limit(limit)).map(toRecord);
}
