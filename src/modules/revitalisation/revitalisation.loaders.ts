import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as repo from './revitalisation.repository';

/** Batch loaders of revitalisation, under `loaders.revitalisation`: a page of assets or cases costs one query per loader. */
export function createRevitalisationLoaders(db: Executor) {
  return {
    revitalisation: {
      casesOfAsset: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.casesOfAssets(db, ids), (c) => c.assetId, ids)),
      flagsOfAsset: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.flagsOf(db, ids), (f) => f.assetId, ids)),
      benefitsOfAsset: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.benefitsOf(db, ids), (b) => b.assetId, ids)),
      flag: new DataLoader(async (ids: readonly number[]) => byId(await repo.findFlagsByIds(db, ids), ids)),
      updatesOfCase: new DataLoader(async (ids: readonly number[]) => groupBy(await repo.updatesOf(db, ids), (u) => u.caseId, ids)),
      /** The open case of an asset, if any. */
      openCaseOfAsset: new DataLoader(async (ids: readonly number[]) => {
        const cases = await repo.casesOfAssets(db, ids);
        return ids.map((id) => cases.find((c) => c.assetId === id && c.status === 'OPEN') ?? null);
      }),
    },
  };
}

declare module '../../shared/context' {
  interface Loaders extends ReturnType<typeof createRevitalisationLoaders> {}
}
