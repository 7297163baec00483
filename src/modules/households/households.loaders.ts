import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as householdsRepo from './households.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createHouseholdsLoaders(db: Executor) {
  return {
    household: new DataLoader(async (ids: readonly number[]) => byId(await householdsRepo.findByIds(db, ids), ids)),
    householdStatusHistory: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await householdsRepo.statusHistory(db, ids), (c) => c.householdId, ids),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createHouseholdsLoaders> {}
}
