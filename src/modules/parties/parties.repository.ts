import type { Executor } from '../../db/connection';
import type { Party, PartyKind } from './parties.types';

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
  return (await db('parties').whereIn('id', ids as number[])).map(toParty);
}

export async function findCollective(db: Executor, villageCode: string): Promise<Party | undefined> {
  const r = await db('parties').where({ kind: 'VILLAGE_COLLECTIVE', region_code: villageCode }).first();
  return r && toParty(r);
}

export async function findByHousehold(db: Executor, householdId: number): Promise<Party | undefined> {
  const r = await db('parties').where({ household_id: householdId }).first();
  return r && toParty(r);
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
