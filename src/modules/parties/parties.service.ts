import type { Executor } from '../../db/connection';
import type { Clock } from '../../shared/clock';
import { DomainError } from '../../shared/errors';
import * as regionsRepo from '../regions/regions.repository';
import * as householdsRepo from '../households/households.repository';
import * as repo from './parties.repository';
import type { Party } from './parties.types';

/**
 * The village collective (村集体经济组织) of a village, created on first use: every village has exactly one,
 * and it owns village assets and holds the village's accounts.
 */
export async function collectiveOf(db: Executor, clock: Clock, villageCode: string): Promise<Party> {
  const existing = await repo.findCollective(db, villageCode);
  if (existing) return existing;
  const village = await regionsRepo.findByCode(db, villageCode);
  if (!village || village.level !== 'VILLAGE') {
    throw new DomainError('INVALID_REGION', `No village with code ${villageCode}`, ['villageCode']);
  }
  const id = await repo.insert(db, {
    kind: 'VILLAGE_COLLECTIVE',
    name: `${village.name}股份经济合作社`,
    regionCode: villageCode,
    createdAt: clock.now(),
  });
  return (await repo.findById(db, id))!;
}

/** The party standing for a household (owner of household assets, recipient of dividends), created on first use. */
export async function householdPartyOf(db: Executor, clock: Clock, householdId: number): Promise<Party> {
  const existing = await repo.findByHousehold(db, householdId);
  if (existing) return existing;
  const household = await householdsRepo.findById(db, householdId);
  if (!household) throw new DomainError('NOT_FOUND', `No household ${householdId}`, ['householdId']);
  const id = await repo.insert(db, {
    kind: 'HOUSEHOLD',
    name: `${household.headName}户`,
    regionCode: household.villageCode,
    householdId,
    createdAt: clock.now(),
  });
  return (await repo.findById(db, id))!;
}

export async function getParty(db: Executor, id: number): Promise<Party | undefined> {
  return repo.findById(db, id);
}
