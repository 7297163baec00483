import type { Executor } from '../../db/connection';
import { createRegionLoader } from './regions.service';

/** Per-request batch loaders of this module: a page of objects costs one query per loader. */
export function createRegionsLoaders(db: Executor) {
  return {
    region: createRegionLoader(db),
  };
}

declare module '../../shared/context' {
  // The request context's loaders include this module's (see shared/context.ts).
  interface Loaders extends ReturnType<typeof createRegionsLoaders> {}
}
