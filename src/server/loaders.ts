import DataLoader from 'dataloader';
import type { Executor } from '../db/connection';
import * as authRepo from '../modules/auth/auth.repository';
import * as assetsRepo from '../modules/assets/assets.repository';
import * as householdsRepo from '../modules/households/households.repository';
import * as projectsRepo from '../modules/projects/projects.repository';
import { createRegionLoader } from '../modules/regions/regions.service';
import { createJournalLoaders } from '../modules/journal/journal.loaders';

function byId<T extends { id: number }>(rows: T[], ids: readonly number[]): (T | null)[] {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
}

function groupBy<T, K>(rows: T[], key: (r: T) => K, keys: readonly K[]): T[][] {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(r);
  }
  return keys.map((k) => m.get(k) ?? []);
}

/**
 * Per-request batch loaders: a page of 100 assets with their villages, projects and funding lines costs a
 * constant number of queries. Loaders fetch by key only; the scope check happened on the parent object.
 */
export function createLoaders(db: Executor) {
  return {
    region: createRegionLoader(db),
    user: new DataLoader(async (ids: readonly number[]) => byId(await authRepo.findUsersByIds(db, ids), ids)),
    project: new DataLoader(async (ids: readonly number[]) => byId(await projectsRepo.findByIds(db, ids), ids)),
    projectFundingLines: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await projectsRepo.fundingLines(db, ids), (l) => l.projectId, ids),
    ),
    asset: new DataLoader(async (ids: readonly number[]) => byId(await assetsRepo.findByIds(db, ids), ids)),
    assetFundingLines: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.fundingLines(db, ids), (l) => l.assetId, ids),
    ),
    assetEvents: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.eventsOf(db, ids), (e) => e.assetId, ids),
    ),
    household: new DataLoader(async (ids: readonly number[]) => byId(await householdsRepo.findByIds(db, ids), ids)),
    householdStatusHistory: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await householdsRepo.statusHistory(db, ids), (c) => c.householdId, ids),
    ),
    journal: createJournalLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
