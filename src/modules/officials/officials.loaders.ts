import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId } from '../../shared/loaderUtils';
import * as repo from './officials.repository';

/** Per-request batch loaders of the officials register. */
export function createOfficialsLoaders(db: Executor) {
  return {
    villageOfficial: new DataLoader(async (ids: readonly number[]) => byId(await repo.findByIds(db, ids), ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createOfficialsLoaders> {}
}
