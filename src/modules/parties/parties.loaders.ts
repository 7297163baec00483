import DataLoader from 'dataloader';
import type { Executor } from '../../db/connection';
import { byId } from '../../shared/loaderUtils';
import * as partiesRepo from './parties.repository';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createPartiesLoaders(db: Executor) {
  return {
    party: new DataLoader(async (ids: readonly number[]) => byId(await partiesRepo.findByIds(db, ids), ids)),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createPartiesLoaders> {}
}
