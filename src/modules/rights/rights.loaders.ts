import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { groupBy } from '../../shared/loaderUtils';
import * as rightsRepo from './rights.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createRightsLoaders(db: Executor) {
  return {
    assetOwnerRows: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await rightsRepo.ownerRowsOf(db, ids), (o) => o.assetId, ids),
    ),
    rightsConfirmations: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await rightsRepo.confirmationsOf(db, ids), (c) => c.assetId, ids),
    ),
    handoverDeed: new DataLoader(async (ids: readonly number[]) => {
      const byAsset = new Map((await rightsRepo.deedsOf(db, ids)).map((d) => [d.assetId, d]));
      return ids.map((id) => byAsset.get(id) ?? null);
    }),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createRightsLoaders> {}
}
