import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { groupBy } from '../../shared/loaderUtils';
import * as documentsRepo from './documents.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createDocumentsLoaders(db: Executor) {
  return {
    assetDocuments: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await documentsRepo.ofAssets(db, ids), (d) => d.assetId, ids),
    ),
    contractDocuments: new DataLoader(async (ids: readonly number[]) =>
      groupBy(await documentsRepo.ofContracts(db, ids), (d) => d.contractId!, ids),
    ),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createDocumentsLoaders> {}
}
