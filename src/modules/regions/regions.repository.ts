import type { Executor } from '../../db/connection';
import type { RegionLevel } from './regions.codes';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
}

const toRegion = (r: RegionRow): Region => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code });

export async function findByCodes(db: Executor, codes: readonly string[]): Promise<Region[]> {
  const rows: RegionRow[] = await db('regions').whereIn('code', codes as string[]);
  return rows.map(toRegion);
}

export async function findByCode(db: Executor, code: string): Promise<Region | undefined> {
  const row: RegionRow | undefined = await db('regions').where({ code }).first();
  return row && toRegion(row);
}

export async function findChildren(db: Executor, parentCode: string): Promise<Region[]> {
  const rows: RegionRow[] = await db('regions').where({ parent_code: parentCode }).orderBy('code');
  return rows.map(toRegion);
}

export async function insertRegions(db: Executor, regions: Region[]): Promise<void> {
  if (!regions.length) return;
  const rows = regions.map((r) => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }));
  for (let i = 0; i < rows.length; i += 200) await db('regions').insert(rows.slice(i, i + 200));
}

/** The villages inside a region (by code prefix), for matching a sheet's village names (台账导入). */
export async function villagesUnder(db: Executor, prefix: string): Promise<Region[]> {
  const rows: RegionRow[] = await db('regions').where({ level: 'VILLAGE' }).where('code', 'like', `${prefix}%`).orderBy('code');
  return rows.map(toRegion);
}
