import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as assetsRepo from './assets.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createAssetsLoaders(db: Executor) {
  return {
    asset: new DataLoader(async (ids: readonly number[]) => byId(await assetsRepo.findByIds(db, ids), ids)),
    assetFundingLines: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.fundingLines(db, ids), (l) => l.assetId, ids),
    ),
    assetEvents: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.eventsOf(db, ids), (e) => e.assetId, ids),
    ),
    assetHolds: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await assetsRepo.holdsOf(db, ids), (h) => h.assetId, ids),
    ),
    assetEvent: new DataLoader(async (ids: readonly number[]) => byId(await assetsRepo.findEventsByIds(db, ids), ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createAssetsLoaders> {}
}
