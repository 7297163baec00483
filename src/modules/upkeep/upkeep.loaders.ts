import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { groupBy } from '../../shared/loaderUtils';
import * as upkeepRepo from './upkeep.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createUpkeepLoaders(db: Executor) {
  return {
    upkeepAssignments: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await upkeepRepo.assignmentsOf(db, ids), (u) => u.assetId, ids),
    ),
    upkeepRecords: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await upkeepRepo.recordsOf(db, ids), (r) => r.assetId, ids),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createUpkeepLoaders> {}
}
