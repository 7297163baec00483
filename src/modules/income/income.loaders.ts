import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import * as repo from './income.repository';
import type { IncomeRecord } from './income.types';

/** Batch loaders for income on asset cards and journal entries: a constant number of queries per page. */
export function createIncomeLoaders(db: Executor) {
  return {
    ofAsset: new DataLoader<number, IncomeRecord[]>(async (assetIds) => {
      const rows = await repo.ofAssets(db, assetIds);
      return assetIds.map((id) => rows.filter((r) => r.assetId === id));
    }),
    lastIncomeOn: new DataLoader<number, string | null>(async (assetIds) => {
      const last = await repo.lastIncomeOn(db, assetIds);
      return assetIds.map((id) => last.get(id) ?? null);
    }),
    ofEntry: new DataLoader<number, IncomeRecord | null>(async (entryIds) => {
      const rows = await repo.findByEntryIds(db, entryIds);
      return entryIds.map((id) => rows.find((r) => r.entryId === id) ?? null);
    }),
  };
}

export type IncomeLoaders = ReturnType<typeof createIncomeLoaders>;

/** Income's loaders sit under `loaders.income` in the request context. */
export function createIncomeModuleLoaders(db: Executor) {
  return { income: createIncomeLoaders(db) };
}

declare module '../../shared/context' {
  interface Loaders extends ReturnType<typeof createIncomeModuleLoaders> {}
}
