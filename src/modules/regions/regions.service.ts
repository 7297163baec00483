import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import type { ServiceContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import type { Actor } from '../../shared/actor';
import { isRegionCode, levelOf, prefixOf, RegionLevel } from './regions.codes';
import * as repo from './regions.repository';
import type { Region } from './regions.repository';

/**
 * A region is visible when it lies inside the actor's scope or contains it (a clerk sees its township and
 * county, for navigation, but not its neighbours).
 */
export function isVisible(actor: Actor, code: string): boolean {
  return code.startsWith(actor.scopePrefix) || actor.scopePrefix.startsWith(prefixOf(code));
}

/**
 * The code prefix a list query is limited to: the requested region when it lies inside the actor's scope,
 * the whole scope when none is requested, and a prefix that matches nothing when it lies outside
 * (out-of-scope reads return nothing, never an error that confirms the region exists).
 */
export function scopedPrefix(actor: Actor, regionCode: string | null | undefined): string {
  if (!regionCode) return actor.scopePrefix;
  if (!isRegionCode(regionCode)) return NOTHING;
  const p = prefixOf(regionCode);
  return p.startsWith(actor.scopePrefix) ? p : NOTHING;
}
const NOTHING = 'x';

export async function getRegion(svc: ServiceContext, code: string): Promise<Region | null> {
  if (!isRegionCode(code) || !isVisible(svc.actor, code)) return null;
  return (await repo.findByCode(svc.db, code)) ?? null;
}

export async function listChildren(svc: ServiceContext, parentCode: string): Promise<Region[]> {
  if (!isRegionCode(parentCode)) return [];
  const children = await repo.findChildren(svc.db, parentCode);
  return children.filter((r) => isVisible(svc.actor, r.code));
}

/** Checks that a code names an existing region of the expected level; used by every module's inputs. */
export async function requireRegion(
  db: Executor,
  code: string,
  field: string[],
  levels: RegionLevel[],
): Promise<Region> {
  const region = isRegionCode(code) ? await repo.findByCode(db, code) : undefined;
  if (!region) throw new DomainError('INVALID_REGION', `Unknown region code ${JSON.stringify(code)}`, field);
  if (!levels.includes(levelOf(code))) {
    throw new DomainError('INVALID_REGION', `Region ${code} (${region.name}) must be a ${levels.join(' or ')}`, field);
  }
  return region;
}

export function createRegionLoader(db: Executor): DataLoader<string, Region | null> {
  return new DataLoader(async (codes) => {
    const found = new Map((await repo.findByCodes(db, codes)).map((r) => [r.code, r]));
    return codes.map((c) => found.get(c) ?? null);
  });
}
