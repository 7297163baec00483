import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import type { OfficialRole, VillageOfficial } from './officials.types';

export const toOfficial = (r: any): VillageOfficial => ({
  id: r.id,
  villageCode: r.village_code,
  name: r.name,
  role: r.role as OfficialRole,
  roleNote: r.role_note ?? null,
  idNumber: r.id_number ?? null,
  userId: r.user_id ?? null,
  householdId: r.household_id ?? null,
  partyId: r.party_id ?? null,
  termStartOn: r.term_start_on,
  termEndOn: r.term_end_on ?? null,
  endReason: r.end_reason ?? null,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insert(db: Executor, o: Omit<VillageOfficial, 'id'>): Promise<number> {
  const [r] = await db('village_officials')
    .insert({
      village_code: o.villageCode,
      name: o.name,
      role: o.role,
      role_note: o.roleNote,
      id_number: o.idNumber,
      user_id: o.userId,
      household_id: o.householdId,
      party_id: o.partyId,
      term_start_on: o.termStartOn,
      term_end_on: o.termEndOn,
      end_reason: o.endReason,
      created_by: o.createdBy,
      created_at: o.createdAt,
      updated_at: o.updatedAt,
    })
    .returning('id');
  return r.id;
}

export async function endTerm(db: Executor, id: number, termEndOn: string, endReason: string | null, updatedAt: string): Promise<void> {
  await db('village_officials').where({ id }).update({ term_end_on: termEndOn, end_reason: endReason, updated_at: updatedAt });
}

export async function findById(db: Executor, id: number, forUpdate = false): Promise<VillageOfficial | undefined> {
  const q = db('village_officials').where({ id });
  if (forUpdate) q.forUpdate();
  const row = await q.first();
  return row && toOfficial(row);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<VillageOfficial[]> {
  return (await db('village_officials').whereIn('id', ids as number[])).map(toOfficial);
}

/** Officials of the villages under a region prefix, optionally only those in office on a date. */
export function listQuery(db: Executor, f: { regionPrefix: string; inOfficeOn?: string | null; role?: OfficialRole | null }): Knex.QueryBuilder {
  const q = db('village_officials').where('village_code', 'like', `${f.regionPrefix}%`);
  if (f.inOfficeOn) q.where('term_start_on', '<=', f.inOfficeOn).where((w) => w.whereNull('term_end_on').orWhere('term_end_on', '>=', f.inOfficeOn!));
  if (f.role) q.where('role', f.role);
  return q;
}

export async function listUnder(db: Executor, regionPrefix: string): Promise<VillageOfficial[]> {
  return (await listQuery(db, { regionPrefix }).orderBy(['village_code', 'id'])).map(toOfficial);
}

/** The same person in the same office of the same village with a term overlapping [start, end]. */
export async function findOverlapping(db: Executor, o: Pick<VillageOfficial, 'villageCode' | 'name' | 'role' | 'termStartOn' | 'termEndOn'>): Promise<VillageOfficial | undefined> {
  const q = db('village_officials')
    .where({ village_code: o.villageCode, name: o.name, role: o.role })
    .where((w) => w.whereNull('term_end_on').orWhere('term_end_on', '>=', o.termStartOn));
  if (o.termEndOn) q.where('term_start_on', '<=', o.termEndOn);
  const row = await q.first();
  return row && toOfficial(row);
}

/** Register entries of these users, wherever recorded. */
export async function listByUsers(db: Executor, userIds: readonly number[]): Promise<VillageOfficial[]> {
  return (await db('village_officials').whereIn('user_id', userIds as number[]).orderBy('id')).map(toOfficial);
}
