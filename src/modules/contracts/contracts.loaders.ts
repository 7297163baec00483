import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId, groupBy } from '../../shared/loaderUtils';
import * as contractsRepo from './contracts.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createContractsLoaders(db: Executor) {
  return {
    contract: new DataLoader(async (ids: readonly number[]) => byId(await contractsRepo.findByIds(db, ids), ids)),
    assetContracts: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await contractsRepo.findByAssetIds(db, ids), (c) => c.assetId, ids),
    ),
    contractVersions: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await contractsRepo.versionsOf(db, ids), (v) => v.contractId, ids),
    ),
    contractDecisions: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await contractsRepo.decisionsOf(db, ids), (d) => d.contractId, ids),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createContractsLoaders> {}
}
