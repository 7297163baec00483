import type { Knex } from 'knex';
import type { Executor } from '../../db/connection';
import { inChunks } from '../../db/inChunks';
import type { Party, PartyKind } from './parties.types';
import { insertManyRows } from '../../db/manyRows';

export const toParty = (r: any): Party => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  regionCode: r.region_code,
  creditCode: r.credit_code,
  householdId: r.household_id,
  createdAt: r.created_at,
});

export async function findById(db: Executor, id: number): Promise<Party | undefined> {
  const r = await db('parties').where({ id }).first();
  return r && toParty(r);
}

export async function findByIds(db: Executor, ids: readonly number[]): Promise<Party[]> {
  return (await inChunks(ids, (slice) => db('parties').whereIn('id', slice))).map(toParty);
}

export async function findCollective(db: Executor, villageCode: string): Promise<Party | undefined> {
  const r = await db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: villageCode }).first();
  return r && toParty(r);
}

export async function findByHousehold(db: Executor, householdId: number): Promise<Party | undefined> {
  const r = await db('parties').where({ household_id: householdId }).first();
  return r && toParty(r);
}

export async function findByHouseholds(db: Executor, householdIds: readonly number[]): Promise<Party[]> {
  return (await db('parties').whereIn('household_id', householdIds as number[])).map(toParty);
}

/** household id → party id of the households' parties registered in a village (one read of two columns). */
export async function householdPartyIdsInVillage(db: Executor, villageCode: string): Promise<Map<number, number>> {
  const rows: { id: number; household_id: number }[] = await db('parties').where({ kind: 'HOUSEHOLD', region_code: villageCode }).select('id', 'household_id');
  return new Map(rows.map((r) => [r.household_id, r.id]));
}

export async function insertMany(
  db: Executor,
  rows: { kind: PartyKind; name: string; regionCode: string; householdId?: number | null; createdAt: string }[],
): Promise<Party[]> {
  const mapped = rows.map((p) => ({ kind: p.kind, name: p.name, region_code: p.regionCode, household_id: p.householdId ?? null, created_at: p.createdAt }));
  // Written at the database's own cost (insertManyRows; issue 16, G5: a distribution's first execution creates a
  // party per household), read back as written (ids in row order).
  return (await insertManyRows(db, 'parties', mapped, { returning: '*' })).map(toParty);
}

export async function findByCreditCode(db: Executor, creditCode: string): Promise<Party | undefined> {
  const r = await db('parties').where({ credit_code: creditCode }).first();
  return r && toParty(r);
}

export async function insert(
  db: Executor,
  p: { kind: PartyKind; name: string; regionCode: string; creditCode?: string | null; householdId?: number | null; createdAt: string },
): Promise<number> {
  const [r] = await db('parties')
    .insert({
      kind: p.kind,
      name: p.name,
      region_code: p.regionCode,
      credit_code: p.creditCode ?? null,
      household_id: p.householdId ?? null,
      created_at: p.createdAt,
    })
    .returning('id');
  return r.id;
}

/** The village collectives inside a region (by code prefix). */
export async function collectivesIn(db: Executor, regionPrefix: string): Promise<Party[]> {
  return (await db('parties').where({ kind: 'VILLAGE_COLLECTIVE' }).where('region_code', 'like', `${regionPrefix}%`).orderBy('id')).map(toParty);
}

export async function findByKindRegionName(db: Executor, kind: PartyKind, regionCode: string, name: string): Promise<Party | undefined> {
  const r = await db('parties').where({ kind, region_code: regionCode, name }).first();
  return r && toParty(r);
}

export async function findByKindRegion(db: Executor, kind: PartyKind, regionCode: string): Promise<Party | undefined> {
  const r = await db('parties').where({ kind, region_code: regionCode }).first();
  return r && toParty(r);
}

export interface PartyFilter {
  /** Parties whose region starts with this prefix… */
  regionPrefix: string;
  /** …or whose region is one of these (the regions containing the actor's scope)… */
  alsoRegions: string[];
  /** …or organisations (kinds other than privateKinds) whose region starts with this prefix. */
  organisationsPrefix?: string | null;
  privateKinds?: readonly PartyKind[];
  kind?: PartyKind | null;
  text?: string | null;
  creditCode?: string | null;
}

export function listQuery(db: Executor, f: PartyFilter): Knex.QueryBuilder {
  const q = db('parties').where((w) => {
    w.where('region_code', 'like', `${f.regionPrefix}%`);
    if (f.alsoRegions.length) w.orWhereIn('region_code', f.alsoRegions);
    if (f.organisationsPrefix) {
      w.orWhere((o) => o.where('region_code', 'like', `${f.organisationsPrefix}%`).whereNotIn('kind', (f.privateKinds ?? []) as string[]));
    }
  });
  if (f.kind) q.where('kind', f.kind);
  if (f.creditCode) q.where('credit_code', f.creditCode);
  if (f.text) q.whereRaw('lower(name) like ?', [`%${f.text.toLowerCase().replace(/[%_\\]/g, '')}%`]);
  return q;
}

/** Parties of a name inside a region (by code prefix): a register sheet names owners and keepers by name. */
export async function findByNameUnder(db: Executor, prefix: string, name: string): Promise<Party[]> {
  return (await db('parties').where({ name }).where('region_code', 'like', `${prefix}%`).orderBy('id')).map(toParty);
}
